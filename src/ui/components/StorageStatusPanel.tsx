import { type Accessor, createEffect, createSignal, on, Show } from 'solid-js';
import type { StorageStatus } from '../../app/storage-status';
import { MB } from '../../core/outbox/storage';
import type { Translate } from '../i18n/i18n';

const megabytes = (bytes: number) => Math.floor(bytes / MB).toLocaleString('id-ID');

/**
 * Used and free space and whether the browser protects the outbox, read again whenever the outbox
 * changes; warns while there is still time to sync and free space, not when a save already failed.
 */
export function StorageStatusPanel(props: {
  t: Translate;
  read: () => Promise<StorageStatus>;
  /** Read again whenever this changes (the outbox list). */
  changes: Accessor<unknown>;
}) {
  const { t } = props;
  const [status, setStatus] = createSignal<StorageStatus | null>(null);
  let latest = 0;
  createEffect(
    on(props.changes, async () => {
      const asked = ++latest;
      const read = await props.read().catch(() => null);
      // An older answer arriving late must not replace a newer one.
      if (asked === latest && read) setStatus(read);
    }),
  );
  const figures = () => {
    const s = status();
    return s?.known ? s : null;
  };
  const level = () => figures()?.level ?? 'unknown';

  return (
    <Show when={status()}>
      {(s) => (
        <div class={`storage-status storage-${level()}`} data-testid="storage-status" data-level={level()}>
          <Show when={figures()} fallback={<p>{t('storage.unknown')}</p>}>
            {(f) => (
              <p>
                {t('storage.usage', {
                  used: megabytes(f().usageBytes),
                  free: megabytes(f().freeBytes),
                  quota: megabytes(f().quotaBytes),
                })}{' '}
                <meter min={0} max={Math.max(1, f().quotaBytes)} value={f().usageBytes} />
              </p>
            )}
          </Show>
          <p>
            {s().persisted === true
              ? t('storage.persisted')
              : s().persisted === false
                ? t('storage.notPersisted')
                : t('storage.persistUnknown')}
          </p>
          <Show when={level() === 'low' || level() === 'critical'}>
            <p class="storage-warning">{level() === 'critical' ? t('storage.critical') : t('storage.low')}</p>
          </Show>
        </div>
      )}
    </Show>
  );
}

import { createEffect, createSignal, Match, onCleanup, Switch } from 'solid-js';
import type { OutboxState, OutboxView } from '../app/ports';
import { UpdateBanner } from './components/UpdateBanner';
import { createI18n } from './i18n/i18n';
import { createOnlineSignal } from './primitives/online';
import { ApplicationForm } from './screens/ApplicationForm';
import { OutboxScreen } from './screens/OutboxScreen';
import type { KioskServices } from './services';

type Tab = 'new' | 'outbox';

/** Applications shown at once in the outbox screen. */
const OUTBOX_PAGE = 200;

export function App(props: { services: KioskServices }) {
  const i18n = createI18n('id');
  const { t, locale, setLocale } = i18n;
  const online = createOnlineSignal();
  const [tab, setTab] = createSignal<Tab>('new');
  const [applicationOpen, setApplicationOpen] = createSignal(false);
  const [view, setView] = createSignal<OutboxView>({
    items: [],
    counts: { held: 0, queued: 0, synced: 0, rejected: 0 },
  });
  const [filter, setFilter] = createSignal<OutboxState | null>(null);
  // One page, newest first: a field kiosk may hold thousands of applications.
  createEffect(() => {
    const state = filter();
    onCleanup(props.services.subscribeOutbox(setView, { limit: OUTBOX_PAGE, ...(state ? { state } : {}) }));
  });
  const items = () => view().items;
  const waiting = () => view().counts.queued;

  return (
    <div class="app" lang={locale()}>
      <header>
        <div>
          <h1>{t('app.title')}</h1>
          <p>{t('app.subtitle')}</p>
        </div>
        <div class="header-actions">
          <span
            class={online() ? 'status online' : 'status offline'}
            role="status"
            data-testid="connectivity"
          >
            {online() ? t('app.online') : t('app.offline')}
          </span>
          <button
            type="button"
            class="secondary"
            aria-label={t('app.languageLabel')}
            onClick={() => setLocale(locale() === 'id' ? 'en' : 'id')}
          >
            {t('app.language')}
          </button>
        </div>
      </header>
      <UpdateBanner t={t} applicationOpen={applicationOpen()} />
      <nav class="tabs" aria-label="Menu">
        <button type="button" aria-pressed={tab() === 'new'} onClick={() => setTab('new')}>
          {t('app.tabNew')}
        </button>
        <button type="button" aria-pressed={tab() === 'outbox'} onClick={() => setTab('outbox')}>
          {t('app.tabOutbox', { count: waiting() })}
        </button>
      </nav>
      <main>
        <Switch>
          <Match when={tab() === 'new'}>
            <ApplicationForm
              t={t}
              language={locale}
              services={props.services}
              onOpenChange={setApplicationOpen}
            />
          </Match>
          <Match when={tab() === 'outbox'}>
            <OutboxScreen
              i18n={i18n}
              services={props.services}
              items={items}
              counts={() => view().counts}
              filter={filter}
              onFilter={setFilter}
              online={online}
            />
          </Match>
        </Switch>
      </main>
    </div>
  );
}

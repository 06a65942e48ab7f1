import { createEffect, createMemo, createSignal, For, onCleanup, Show } from 'solid-js';
import type { AttachmentKind } from '../../core/application/completeness';
import type { AttachmentMediaType } from '../../protocol/sync';
import { ProblemAlert } from '../components/ProblemAlert';
import type { Locale, Translate } from '../i18n/i18n';
import { PaperCamera } from './PaperCamera';
import { type PartProblem, type PreparedPart, preparePart } from './page-image';
import { combineIntoPdf, type PdfProblem } from './paper-pdf';
import { formatLimit, formatSize } from './sizes';
import './applicant.css';

/** One kind's paper as the application sends it: one file, whatever number of parts made it. */
export interface PaperFile {
  blob: Blob;
  pages: number;
}

interface Part extends PreparedPart {
  id: number;
  /** A thumbnail of a photo; null for a PDF. */
  url: string | null;
}

type PaperProblem = { reason: PartProblem | PdfProblem | 'combine-failed'; file: string };

interface Paper {
  parts: Part[];
  file: PaperFile | null;
  /** Files being read, and whether the parts are being combined into one PDF. */
  preparing: number;
  combining: boolean;
  problem: PaperProblem | null;
}

const EMPTY: Paper = { parts: [], file: null, preparing: 0, combining: false, problem: null };

/**
 * The papers of Pasal 10 (`requiredAttachments` of the type), each photographed page by page or
 * chosen as files. Several parts of one paper are combined into one PDF here, so that each kind is
 * one file within the attachment limit; a paper of one part is sent as it is.
 */
export function AttachmentsPanel(props: {
  t: Translate;
  language: () => Locale;
  kinds: () => readonly AttachmentKind[];
  mediaTypes: readonly AttachmentMediaType[];
  /** One document's limit (bytes). */
  maxBytes: number;
  disabled?: () => boolean;
  /** Something about all the files together (their total), shown under the papers. */
  notice?: () => string | null;
  onChange: (kind: AttachmentKind, file: PaperFile | null) => void;
  onBusy: (busy: boolean) => void;
}) {
  const { t } = props;
  const [papers, setPapers] = createSignal<Partial<Record<AttachmentKind, Paper>>>({});
  const [camera, setCamera] = createSignal<AttachmentKind | null>(null);
  const generation: Partial<Record<AttachmentKind, number>> = {};
  let nextId = 0;

  const paper = (kind: AttachmentKind): Paper => papers()[kind] ?? EMPTY;
  const update = (kind: AttachmentKind, change: (p: Paper) => Paper) =>
    setPapers((all) => ({ ...all, [kind]: change(all[kind] ?? EMPTY) }));
  const name = (kind: AttachmentKind) => t(`applicant.papers.kinds.${kind}`);
  const disabled = () => props.disabled?.() ?? false;

  const busy = createMemo(() => Object.values(papers()).some((p) => p.preparing > 0 || p.combining));
  createEffect(() => props.onBusy(busy()));
  onCleanup(() => {
    for (const p of Object.values(papers()))
      for (const part of p.parts) if (part.url) URL.revokeObjectURL(part.url);
  });

  const setFile = (kind: AttachmentKind, file: PaperFile | null) => {
    update(kind, (p) => ({ ...p, file }));
    props.onChange(kind, file);
  };

  /** Makes the kind's one file from its parts; a newer change wins over a slower older one. */
  const rebuild = async (kind: AttachmentKind) => {
    const mine = (generation[kind] ?? 0) + 1;
    generation[kind] = mine;
    const { parts } = paper(kind);
    const [only] = parts;
    if (parts.length <= 1) {
      update(kind, (p) => ({ ...p, combining: false }));
      setFile(kind, only ? { blob: only.blob, pages: only.pages } : null);
      return;
    }
    update(kind, (p) => ({ ...p, combining: true }));
    setFile(kind, null);
    const combined = await combineIntoPdf(
      await Promise.all(
        parts.map(async (part) => ({
          mediaType: part.mediaType,
          bytes: new Uint8Array(await part.blob.arrayBuffer()),
        })),
      ),
      { title: name(kind), createdAt: new Date() },
    );
    if (generation[kind] !== mine) return;
    update(kind, (p) => ({ ...p, combining: false }));
    if (!combined.ok) {
      const file = parts[combined.index];
      update(kind, (p) => ({
        ...p,
        problem: {
          reason: combined.problem === 'pdf-locked' ? 'pdf-locked' : 'combine-failed',
          file: file ? pageLabel(kind, file) : '',
        },
      }));
      return;
    }
    const pages = parts.reduce((sum, part) => sum + part.pages, 0);
    setFile(kind, { blob: new Blob([combined.bytes.slice()], { type: 'application/pdf' }), pages });
  };

  const addPart = (kind: AttachmentKind, part: PreparedPart) => {
    const url = part.mediaType === 'application/pdf' ? null : URL.createObjectURL(part.blob);
    update(kind, (p) => ({ ...p, parts: [...p.parts, { ...part, id: nextId++, url }] }));
  };

  const addFiles = async (kind: AttachmentKind, files: File[], replace: boolean) => {
    if (files.length === 0) return;
    if (replace) clear(kind);
    update(kind, (p) => ({ ...p, preparing: p.preparing + 1, problem: null }));
    try {
      for (const file of files) {
        const prepared = await preparePart(file);
        if (prepared.ok) addPart(kind, prepared.part);
        else update(kind, (p) => ({ ...p, problem: { reason: prepared.problem, file: file.name } }));
      }
    } finally {
      update(kind, (p) => ({ ...p, preparing: p.preparing - 1 }));
    }
    await rebuild(kind);
  };

  const removePart = (kind: AttachmentKind, id: number) => {
    update(kind, (p) => {
      for (const part of p.parts) if (part.id === id && part.url) URL.revokeObjectURL(part.url);
      return { ...p, parts: p.parts.filter((part) => part.id !== id), problem: null };
    });
    void rebuild(kind);
  };

  function clear(kind: AttachmentKind) {
    update(kind, (p) => {
      for (const part of p.parts) if (part.url) URL.revokeObjectURL(part.url);
      return { ...p, parts: [], problem: null };
    });
  }

  /** The page number of a part's first page, for thumbnails and messages. */
  const firstPage = (kind: AttachmentKind, part: Part) => {
    let page = 1;
    for (const p of paper(kind).parts) {
      if (p.id === part.id) return page;
      page += p.pages;
    }
    return page;
  };
  function pageLabel(kind: AttachmentKind, part: Part) {
    return t('applicant.papers.pageThumbnail', { page: firstPage(kind, part), name: name(kind) });
  }

  const problemText = (problem: PaperProblem | null) =>
    problem ? t(`applicant.papers.problems.${problem.reason}`, { file: problem.file }) : null;
  const tooLarge = (kind: AttachmentKind) => {
    const file = paper(kind).file;
    return file && file.blob.size > props.maxBytes
      ? t('applicant.papers.problems.too-large', {
          size: formatSize(file.blob.size, props.language()),
          max: formatLimit(props.maxBytes, props.language()),
        })
      : null;
  };

  return (
    <section class="papers" aria-labelledby="papers-heading">
      <h3 id="papers-heading">{t('applicant.papers.heading')}</h3>
      <p>
        <small>{t('applicant.papers.intro', { max: formatLimit(props.maxBytes, props.language()) })}</small>
      </p>
      <ul class="paper-list">
        <For each={props.kinds()}>
          {(kind) => (
            <li class="paper" data-testid={`paper-${kind}`} data-attached={paper(kind).file !== null}>
              <div class="paper-header">
                <h4>{name(kind)}</h4>
                <small class="paper-basis">{t(`applicant.papers.basis.${kind}`)}</small>
              </div>
              <Show when={camera() === kind}>
                <PaperCamera
                  t={t}
                  name={name(kind)}
                  onCapture={(part) => {
                    addPart(kind, part);
                    void rebuild(kind);
                  }}
                  onDone={() => setCamera(null)}
                />
              </Show>
              <Show when={paper(kind).parts.length > 0}>
                <ol class="paper-pages">
                  <For each={paper(kind).parts}>
                    {(part) => (
                      <li class="paper-page">
                        <Show
                          when={part.url}
                          fallback={
                            <div class="paper-pdf" role="img" aria-label={pageLabel(kind, part)}>
                              {t('applicant.papers.pdfPart', { count: part.pages })}
                            </div>
                          }
                        >
                          {(url) => <img src={url()} alt={pageLabel(kind, part)} />}
                        </Show>
                        <button
                          type="button"
                          class="secondary paper-remove-page"
                          disabled={disabled()}
                          aria-label={t('applicant.papers.removePageLabel', {
                            page: firstPage(kind, part),
                            name: name(kind),
                          })}
                          onClick={() => removePart(kind, part.id)}
                        >
                          {t('applicant.papers.removePage')}
                        </button>
                      </li>
                    )}
                  </For>
                </ol>
              </Show>
              <p class="paper-status" data-testid={`paper-status-${kind}`}>
                <Show
                  when={paper(kind).file}
                  fallback={<Show when={!paper(kind).combining}>{t('applicant.papers.notAttached')}</Show>}
                >
                  {(file) => (
                    // A fragment keeps the text reactive: a callback's bare string would be computed once.
                    <>
                      {t('applicant.papers.attached', {
                        pages: file().pages,
                        size: formatSize(file().blob.size, props.language()),
                      })}
                    </>
                  )}
                </Show>
              </p>
              <Show when={paper(kind).preparing > 0 || paper(kind).combining}>
                <label class="progress" aria-live="polite">
                  {paper(kind).combining
                    ? t('applicant.papers.combining', {
                        pages: paper(kind).parts.reduce((sum, part) => sum + part.pages, 0),
                      })
                    : t('applicant.papers.preparing')}
                  <progress />
                </label>
              </Show>
              <ProblemAlert problem={problemText(paper(kind).problem)} />
              <Show when={tooLarge(kind)}>{(text) => <p class="field-error">{text()}</p>}</Show>
              <div class="paper-actions">
                <Show when={camera() !== kind}>
                  <button
                    type="button"
                    class="primary"
                    disabled={disabled()}
                    aria-label={
                      paper(kind).parts.length > 0
                        ? t('applicant.papers.addPageLabel', { name: name(kind) })
                        : t('applicant.papers.cameraLabel', { name: name(kind) })
                    }
                    onClick={() => setCamera(kind)}
                  >
                    {paper(kind).parts.length > 0
                      ? t('applicant.papers.addPage')
                      : t('applicant.papers.camera')}
                  </button>
                </Show>
                <FileButton
                  text={t('applicant.papers.chooseFile')}
                  label={t('applicant.papers.chooseFileLabel', { name: name(kind) })}
                  accept={props.mediaTypes.join(',')}
                  disabled={disabled()}
                  onFiles={(files) => void addFiles(kind, files, false)}
                />
                <Show when={paper(kind).parts.length > 0}>
                  <FileButton
                    text={t('applicant.papers.replace')}
                    label={t('applicant.papers.replaceLabel', { name: name(kind) })}
                    accept={props.mediaTypes.join(',')}
                    disabled={disabled()}
                    onFiles={(files) => void addFiles(kind, files, true)}
                  />
                  <button
                    type="button"
                    class="secondary"
                    disabled={disabled()}
                    aria-label={t('applicant.papers.removeAllLabel', { name: name(kind) })}
                    onClick={() => {
                      clear(kind);
                      void rebuild(kind);
                    }}
                  >
                    {t('applicant.papers.removeAll')}
                  </button>
                </Show>
              </div>
            </li>
          )}
        </For>
      </ul>
      <Show when={props.notice?.()}>{(text) => <p class="field-error">{text()}</p>}</Show>
    </section>
  );
}

function FileButton(props: {
  text: string;
  label: string;
  accept: string;
  disabled: boolean;
  onFiles: (files: File[]) => void;
}) {
  return (
    <label class="file-button" classList={{ disabled: props.disabled }}>
      <span>{props.text}</span>
      <input
        type="file"
        multiple
        accept={props.accept}
        aria-label={props.label}
        disabled={props.disabled}
        onChange={(e) => {
          const files = Array.from(e.currentTarget.files ?? []);
          e.currentTarget.value = '';
          props.onFiles(files);
        }}
      />
    </label>
  );
}

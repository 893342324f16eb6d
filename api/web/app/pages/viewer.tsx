/**
 * A document's PDF/A in Sohoa's own viewer (pdf.js, served from the package): opened at the page
 * the address names (`?page=N`), page by page, zoomable, and downloadable as the archived file.
 */
import { GlobalWorkerOptions, getDocument, type PDFDocumentProxy, type RenderTask } from 'pdfjs-dist';
import { useEffect, useRef, useState } from 'preact/hooks';
import { useI18n } from '../i18n.js';
import { navigate, useLocation } from '../router.js';

GlobalWorkerOptions.workerSrc = '/assets/pdf.worker.mjs';

export function ViewerPage({ code, number }: { code: string; number: number }) {
  const { t } = useI18n();
  const { params } = useLocation();
  const page = Math.max(1, Number(params.get('page') ?? 1) || 1);
  const [doc, setDoc] = useState<PDFDocumentProxy | null>(null);
  const [error, setError] = useState('');
  const [zoom, setZoom] = useState(1);
  const canvas = useRef<HTMLCanvasElement>(null);
  const pdfUrl = `/api/dossiers/${encodeURIComponent(code)}/documents/${number}/pdf`;
  useEffect(() => {
    let opened: PDFDocumentProxy | undefined;
    getDocument({ url: pdfUrl, withCredentials: true, isEvalSupported: false }).promise.then(
      (d) => {
        opened = d;
        setDoc(d);
      },
      (err: unknown) => setError(String((err as Error).message ?? err)),
    );
    return () => void opened?.destroy();
  }, [pdfUrl]);
  useEffect(() => {
    if (!doc || !canvas.current) return;
    let task: RenderTask | undefined;
    let cancelled = false;
    doc.getPage(Math.min(page, doc.numPages)).then((p) => {
      if (cancelled || !canvas.current) return;
      // Fit the sheet's width inside its padding; zoom goes from there.
      const sheet = canvas.current.parentElement!;
      const padding = Number.parseFloat(getComputedStyle(sheet).paddingLeft) * 2;
      const fit = (sheet.clientWidth - padding) / p.getViewport({ scale: 1 }).width;
      const viewport = p.getViewport({ scale: fit * zoom * devicePixelRatio });
      canvas.current.width = viewport.width;
      canvas.current.height = viewport.height;
      canvas.current.style.width = `${viewport.width / devicePixelRatio}px`;
      task = p.render({ canvas: canvas.current, viewport });
      task.promise.then(
        () => canvas.current?.setAttribute('data-rendered-page', String(p.pageNumber)),
        () => undefined,
      );
    });
    return () => {
      cancelled = true;
      task?.cancel();
    };
  }, [doc, page, zoom]);
  const goTo = (n: number) => doc && navigate(`${location.pathname}?page=${Math.min(Math.max(1, n), doc.numPages)}`, true);
  if (error) return <p class="notice error">{error}</p>;
  return (
    <div class="viewer">
      <div class="toolbar card">
        <strong>
          {code}.{String(number).padStart(2, '0')}
        </strong>
        <button type="button" onClick={() => goTo(page - 1)} disabled={page <= 1}>
          {t('previous')}
        </button>
        <span aria-live="polite" data-page={page}>
          {doc ? t('pageOf', { n: Math.min(page, doc.numPages), total: doc.numPages }) : t('loading')}
        </span>
        <button type="button" onClick={() => goTo(page + 1)} disabled={!doc || page >= doc.numPages}>
          {t('next')}
        </button>
        <button type="button" onClick={() => setZoom(Math.max(0.5, zoom - 0.25))} aria-label={t('zoomOut')}>
          −
        </button>
        <button type="button" onClick={() => setZoom(Math.min(3, zoom + 0.25))} aria-label={t('zoomIn')}>
          +
        </button>
        <a class="button" href={pdfUrl} download>
          {t('download')}
        </a>
      </div>
      <div class="sheet">
        <canvas ref={canvas} aria-label={`${t('page')} ${page}`} />
      </div>
    </div>
  );
}

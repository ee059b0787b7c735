// Dropping files on the map: a hint while files are dragged over it, then the dropped files handed on.
import {onLang, t} from '../i18n';
import {el} from '../ui/dom';

/** Only drags that carry files: dragging text or a link over the map is none of our business. */
const carriesFiles = (e: DragEvent) => Array.from(e.dataTransfer?.types ?? []).includes('Files');

export function installDropZone(target: HTMLElement, onFiles: (files: File[]) => void): void {
    const hint = el('div', 'om-drop-hint');
    const text = () => { hint.textContent = t('planners.drop_hint'); };
    text();
    onLang(text);
    hint.hidden = true;
    target.append(hint);

    // dragenter/dragleave fire for every child the pointer crosses: count them to know when it left the map.
    let depth = 0;
    const show = (on: boolean) => { hint.hidden = !on; };
    target.addEventListener('dragenter', e => {
        if (!carriesFiles(e)) return;
        e.preventDefault();
        depth++;
        show(true);
    });
    target.addEventListener('dragover', e => {
        if (!carriesFiles(e)) return;
        // Without preventDefault the browser refuses the drop (and would open the file instead).
        e.preventDefault();
        if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
    });
    target.addEventListener('dragleave', () => {
        depth = Math.max(0, depth - 1);
        if (depth === 0) show(false);
    });
    target.addEventListener('drop', e => {
        if (!carriesFiles(e)) return;
        e.preventDefault();
        depth = 0;
        show(false);
        const files = Array.from(e.dataTransfer?.files ?? []);
        if (files.length > 0) onFiles(files);
    });
}

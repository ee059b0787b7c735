// Uploads one file as multipart field `file` and reports the bytes sent: XMLHttpRequest, because fetch() has no upload progress.
import {appUrl} from './base';
import {ApiError, errorDetail} from './cockpit';

/** Called as the upload goes: `sent` of `total` bytes (total 0 when the browser cannot tell). */
export type Progress = (sent: number, total: number) => void;

/**
 * POSTs `file` to `path` (relative to the app root) and resolves with the JSON answer; a 4xx/5xx
 * rejects with ApiError. `fields` go before the file: a server reading the multipart stream in
 * order (an attachment's `kind`) knows them before the bytes arrive.
 */
export function uploadFile<T>(path: string, file: File, onProgress?: Progress, fields: Record<string, string> = {}): Promise<T> {
    return new Promise((resolve, reject) => {
        const xhr = new XMLHttpRequest();
        xhr.open('POST', appUrl(path));
        // a form on another site cannot set this header; the server refuses uploads without it
        xhr.setRequestHeader('X-Requested-With', 'onemap');
        xhr.withCredentials = true;
        xhr.responseType = 'text';
        xhr.upload.addEventListener('progress', e => onProgress?.(e.loaded, e.lengthComputable ? e.total : 0));
        xhr.addEventListener('load', () => {
            if (xhr.status < 200 || xhr.status >= 300) {
                reject(new ApiError(path, xhr.status, errorDetail(xhr.responseText)));
                return;
            }
            try {
                resolve(JSON.parse(xhr.responseText) as T);
            } catch {
                reject(new ApiError(path, xhr.status, 'not JSON'));
            }
        });
        xhr.addEventListener('error', () => reject(new ApiError(path, 0)));
        xhr.addEventListener('abort', () => reject(new ApiError(path, 0, 'aborted')));
        const form = new FormData();
        for (const [name, value] of Object.entries(fields)) form.append(name, value);
        form.append('file', file, file.name);
        xhr.send(form);
    });
}

// Image uploads (POST /api/v1/images) with progress.
//
// fetch() cannot report upload progress, so this one request uses
// XMLHttpRequest: its upload.onprogress drives the progress bars of the
// composer and the profile picture. Errors come back as api.ApiError, like
// every other request, so views describe them the same way.

import {ApiError, getCsrfToken} from './api.js';

/** The server's limit (API.md): larger files are refused before sending. */
export const MAX_IMAGE_BYTES = 10 * 1024 * 1024;
export const IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/gif'];

/**
 * Uploads one image file. onProgress(fraction 0..1) follows the bytes sent;
 * signal (AbortSignal) cancels. Resolves with the stored Image
 * ({id, url, thumbUrl, width, height, contentType}); rejects with ApiError
 * (status 0 for network failures, 413 too large, 415 not an image) or an
 * AbortError.
 */
export function uploadImage(file, {onProgress = () => {}, signal} = {}) {
  return new Promise((resolve, reject) => {
    if (file.size > MAX_IMAGE_BYTES) {
      reject(new ApiError({status: 413, type: 'payload-too-large', detail: 'file over 10 MiB'}));
      return;
    }
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/v1/images');
    xhr.withCredentials = true;
    xhr.setRequestHeader('Accept', 'application/json');
    const token = getCsrfToken();
    if (token) xhr.setRequestHeader('X-CSRF-Token', token);
    xhr.responseType = 'text';
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(event.loaded / event.total);
    };
    xhr.onload = () => {
      let data = null;
      try {
        data = xhr.responseText ? JSON.parse(xhr.responseText) : null;
      } catch {
        data = null;
      }
      if (xhr.status >= 200 && xhr.status < 300 && data && data.id) {
        onProgress(1);
        resolve(data);
        return;
      }
      const problem = data && typeof data === 'object' ? data : {};
      const retry = Number(xhr.getResponseHeader('Retry-After'));
      reject(new ApiError({
        status: xhr.status,
        type: typeof problem.type === 'string' ? problem.type : 'unknown',
        title: typeof problem.title === 'string' ? problem.title : '',
        detail: typeof problem.detail === 'string' ? problem.detail : '',
        retryAfter: Number.isFinite(retry) && xhr.getResponseHeader('Retry-After') !== null ? retry : null,
        problem: data && typeof data === 'object' ? data : null,
      }));
    };
    xhr.onerror = () => reject(new ApiError({status: 0, type: 'network', detail: 'upload failed'}));
    xhr.onabort = () => reject(new DOMException('upload cancelled', 'AbortError'));
    if (signal) {
      if (signal.aborted) {
        reject(new DOMException('upload cancelled', 'AbortError'));
        return;
      }
      signal.addEventListener('abort', () => xhr.abort(), {once: true});
    }
    const form = new FormData();
    form.append('file', file, file.name || 'image');
    xhr.send(form);
  });
}

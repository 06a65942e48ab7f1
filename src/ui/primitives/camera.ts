import { type Accessor, createSignal, onCleanup, onMount } from 'solid-js';
import { assessFrame, type FrameQuality } from '../../core/ocr/quality';

/** Opens the kiosk camera (the back one on a tablet); the caller stops the stream. */
export async function makeCameraStream(): Promise<MediaStream> {
  return navigator.mediaDevices.getUserMedia({
    video: { facingMode: 'environment', width: { ideal: 1920 }, height: { ideal: 1080 } },
    audio: false,
  });
}

export function stopStream(stream: MediaStream | null): void {
  for (const track of stream?.getTracks() ?? []) track.stop();
}

/** Quality of the current video frame, measured on a small grey copy (cheap enough twice a second). */
export function frameQuality(video: HTMLVideoElement, canvas: HTMLCanvasElement): FrameQuality | null {
  if (video.videoWidth === 0) return null;
  const width = 320;
  const height = Math.round((video.videoHeight / video.videoWidth) * width);
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d', { willReadFrequently: true });
  if (!context) return null;
  context.drawImage(video, 0, 0, width, height);
  const rgba = context.getImageData(0, 0, width, height).data;
  const gray = new Uint8Array(width * height);
  for (let i = 0, j = 0; i < gray.length; i++, j += 4) {
    gray[i] = ((rgba[j] ?? 0) * 77 + (rgba[j + 1] ?? 0) * 150 + (rgba[j + 2] ?? 0) * 29) >> 8;
  }
  return assessFrame({ width, height, data: gray });
}

/** The full-resolution frame as a JPEG, exactly what will be read. */
export async function captureFrame(video: HTMLVideoElement): Promise<Blob | null> {
  const canvas = document.createElement('canvas');
  canvas.width = video.videoWidth;
  canvas.height = video.videoHeight;
  canvas.getContext('2d')?.drawImage(video, 0, 0);
  return new Promise((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.92));
}

export type CameraState = 'starting' | 'live' | 'denied';

/**
 * The live camera in a `<video>`: opened on mount, stopped on cleanup, the frame's quality measured
 * twice a second. `onLive` runs once the picture plays (e.g. to fit a guide to its size); `stop`
 * turns the camera off early (its light goes out as soon as the photo is taken).
 */
export function createCameraFeed(
  video: () => HTMLVideoElement | undefined,
  onLive?: (video: HTMLVideoElement) => void,
): { state: Accessor<CameraState>; quality: Accessor<FrameQuality | null>; stop: () => void } {
  const probe = document.createElement('canvas');
  let stream: MediaStream | null = null;
  const [state, setState] = createSignal<CameraState>('starting');
  const [quality, setQuality] = createSignal<FrameQuality | null>(null);
  onMount(async () => {
    try {
      stream = await makeCameraStream();
      const element = video();
      if (!element) return;
      element.srcObject = stream;
      await element.play();
      onLive?.(element);
      setState('live');
    } catch {
      setState('denied');
    }
  });
  const timer = window.setInterval(() => {
    const element = video();
    if (element && state() === 'live') setQuality(frameQuality(element, probe));
  }, 500);
  const stop = () => {
    stopStream(stream);
    stream = null;
  };
  onCleanup(() => {
    window.clearInterval(timer);
    stop();
  });
  return { state, quality, stop };
}

/**
 * Scenes around the synthetic e-KTP (`./ektp.ts`): the flat scan, a phone photo on a desk, a
 * degraded photo, a low-resolution scan and an upside-down scan. Pure functions: every parameter
 * comes from the seed, the browser work lives in `scripts/make-ektp.ts`.
 */
import { type EktpPerson, ektpHtml, mixSeed, seededRandom } from './ektp';

export const EKTP_VARIANTS = ['clean', 'photo', 'degraded', 'lowres', 'upside-down'] as const;
export type EktpVariant = (typeof EKTP_VARIANTS)[number];

export const CARD_PX = { width: 1012, height: 638 } as const;
export const PHOTO_PX = { width: 1600, height: 1200 } as const;

export function isEktpVariant(value: string): value is EktpVariant {
  return (EKTP_VARIANTS as readonly string[]).includes(value);
}

export interface PhotoParams {
  /** Card width over frame width, 0.55-0.80. */
  cardFraction: number;
  /** In-plane rotation, degrees, ±2..8. */
  rotateZ: number;
  /** Tilt, degrees, a few either way. */
  rotateX: number;
  rotateY: number;
  /** CSS perspective distance, px. */
  perspective: number;
  /** Card centre offset from the frame centre, px. */
  offsetX: number;
  offsetY: number;
  desk: 'wood' | 'grey' | 'laminate';
  /** feTurbulence seed for the desk texture. */
  textureSeed: number;
  /** Soft phone-camera fall-off (0..1, darkening at the far corner). */
  vignette: number;
  jpegQuality: number;
}

export interface DegradeParams {
  blurPx: number;
  /** Darkening of the dark side, 0..0.35. */
  shade: number;
  /** Direction the light comes from, degrees (CSS gradient angle towards the dark side). */
  shadeAngle: number;
  /** A soft glare spot on the bright side, opacity. */
  glare: number;
  noiseOpacity: number;
  noiseSeed: number;
  jpegQuality: number;
}

export interface LowresParams {
  width: number;
}

const SALT = { photo: 1, degraded: 2, lowres: 3 } as const;

const between = (rnd: () => number, min: number, max: number) => min + rnd() * (max - min);
const signed = (rnd: () => number, min: number, max: number) =>
  (rnd() < 0.5 ? -1 : 1) * between(rnd, min, max);
const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;

export function photoParams(seed: number): PhotoParams {
  const rnd = seededRandom(mixSeed(seed, SALT.photo));
  const cardFraction = round(between(rnd, 0.55, 0.8), 3);
  const rotateZ = round(signed(rnd, 2, 8));
  const rotateX = round(signed(rnd, 2, 7));
  const rotateY = round(signed(rnd, 2, 7));
  const perspective = Math.round(between(rnd, 1600, 2600));
  // Keep the rotated card inside the frame: what is left of the frame around its bounding box.
  const w = cardFraction * PHOTO_PX.width;
  const h = (w * CARD_PX.height) / CARD_PX.width;
  const a = (Math.abs(rotateZ) * Math.PI) / 180;
  const boxW = w * Math.cos(a) + h * Math.sin(a);
  const boxH = w * Math.sin(a) + h * Math.cos(a);
  const slackX = Math.max(0, (PHOTO_PX.width - boxW) / 2 - 40);
  const slackY = Math.max(0, (PHOTO_PX.height - boxH) / 2 - 40);
  const offsetX = Math.round(between(rnd, -slackX, slackX) * 0.8);
  const offsetY = Math.round(between(rnd, -slackY, slackY) * 0.8);
  const desks = ['wood', 'grey', 'laminate'] as const;
  const desk = desks[Math.floor(rnd() * desks.length)] ?? 'wood';
  return {
    cardFraction,
    rotateZ,
    rotateX,
    rotateY,
    perspective,
    offsetX,
    offsetY,
    desk,
    textureSeed: 1 + Math.floor(rnd() * 1000),
    vignette: round(between(rnd, 0.05, 0.15)),
    jpegQuality: 85,
  };
}

export function degradeParams(seed: number): DegradeParams {
  const rnd = seededRandom(mixSeed(seed, SALT.degraded));
  return {
    blurPx: round(between(rnd, 0.6, 1.2)),
    shade: round(between(rnd, 0.2, 0.35)),
    shadeAngle: Math.round(rnd() * 360),
    glare: round(between(rnd, 0.05, 0.18)),
    noiseOpacity: round(between(rnd, 0.12, 0.22)),
    noiseSeed: 1 + Math.floor(rnd() * 1000),
    jpegQuality: 35 + Math.floor(rnd() * 16),
  };
}

export function lowresParams(seed: number): LowresParams {
  const rnd = seededRandom(mixSeed(seed, SALT.lowres));
  return { width: 470 + Math.floor(rnd() * 61) };
}

/** The bare card as a page of exactly 1012 × 638, optionally turned by 180°. */
export function scanHtml(person: EktpPerson, upsideDown = false): string {
  const html = ektpHtml(person);
  if (!upsideDown) return html;
  return html.replace('</style>', '#card { transform: rotate(180deg); }</style>');
}

function deskLayer(p: PhotoParams): string {
  const { textureSeed } = p;
  switch (p.desk) {
    case 'wood':
      // Planks across the frame with their grain running along them.
      return `<div class="desk" style="background:
          repeating-linear-gradient(180deg, transparent 0 236px, rgba(40,20,5,0.55) 236px 239px, rgba(255,225,180,0.10) 239px 241px),
          linear-gradient(180deg, #9a6537, #86552d 55%, #93603a)"></div>
        <svg class="desk" width="1600" height="1200"><filter id="grain"><feTurbulence type="fractalNoise" baseFrequency="0.0025 0.045" numOctaves="4" seed="${textureSeed}"/>
          <feColorMatrix values="0 0 0 0 0.25  0 0 0 0 0.12  0 0 0 0 0.03  0 0 0 1.6 -0.55"/></filter>
          <rect width="1600" height="1200" filter="url(#grain)"/></svg>`;
    case 'grey':
      return `<div class="desk" style="background: radial-gradient(ellipse at 40% 30%, #9a9ea3, #7b7f85 70%, #6c7075)"></div>
        <svg class="desk" width="1600" height="1200"><filter id="grain"><feTurbulence type="fractalNoise" baseFrequency="0.7" numOctaves="2" seed="${textureSeed}"/>
          <feColorMatrix type="saturate" values="0"/><feComponentTransfer><feFuncA type="linear" slope="0.35"/></feComponentTransfer></filter>
          <rect width="1600" height="1200" filter="url(#grain)"/></svg>`;
    case 'laminate':
      return `<div class="desk" style="background:
          repeating-linear-gradient(0deg, rgba(0,0,0,0.03) 0 1px, transparent 1px 5px),
          linear-gradient(120deg, #d9d3c7, #cbc4b6 60%, #d2ccc0)"></div>
        <svg class="desk" width="1600" height="1200"><filter id="grain"><feTurbulence type="fractalNoise" baseFrequency="0.02 0.006" numOctaves="2" seed="${textureSeed}"/>
          <feColorMatrix values="0 0 0 0 0.45  0 0 0 0 0.40  0 0 0 0 0.33  0 0 0 0.6 -0.15"/></filter>
          <rect width="1600" height="1200" filter="url(#grain)"/></svg>`;
  }
}

/**
 * The card photographed on a desk: 1600 × 1200, the card turned, tilted in perspective and
 * shadowed, with a soft phone-camera vignette.
 */
export function photoHtml(person: EktpPerson, p: PhotoParams): string {
  const card = ektpHtml(person);
  const style = card.slice(card.indexOf('<style>') + 7, card.indexOf('</style>'));
  const body = card.slice(card.indexOf('<body>') + 6, card.indexOf('</body>'));
  const scale = (p.cardFraction * PHOTO_PX.width) / CARD_PX.width;
  const cx = PHOTO_PX.width / 2 + p.offsetX;
  const cy = PHOTO_PX.height / 2 + p.offsetY;
  return `<!doctype html><html><head><meta charset="utf-8"><style>${style}
    html, body { width: 1600px; height: 1200px; overflow: hidden; }
    .desk, .vignette { position: absolute; left: 0; top: 0; width: 1600px; height: 1200px; }
    .holder { position: absolute; left: ${cx}px; top: ${cy}px; width: 0; height: 0; perspective: ${p.perspective}px; }
    .holder #card { position: absolute; left: -506px; top: -319px;
      transform: rotateZ(${p.rotateZ}deg) rotateX(${p.rotateX}deg) rotateY(${p.rotateY}deg) scale(${scale.toFixed(4)});
      box-shadow: 0 2px 3px rgba(0,0,0,0.35), ${Math.round(-p.rotateY * 3)}px ${Math.round(14 + p.rotateX * 2)}px 34px rgba(0,0,0,0.38); }
    .vignette { background: radial-gradient(ellipse at 45% 45%, rgba(0,0,0,0) 55%, rgba(0,0,0,${p.vignette}) 100%); }
  </style></head><body>
    ${deskLayer(p)}
    <div class="holder">${body}</div>
    <div class="vignette"></div>
  </body></html>`;
}

/**
 * A photo (as a data URL, 1600 × 1200) degraded: blurred, unevenly lit (darker towards one side,
 * a faint glare on the other) and noisy. A second pass over the finished photo: a CSS filter on
 * the live 3D scene makes Chromium's software compositor repeat tiles.
 */
export function degradedHtml(photoDataUrl: string, d: DegradeParams): string {
  return `<!doctype html><html><head><meta charset="utf-8"><style>
    html, body { margin: 0; padding: 0; width: 1600px; height: 1200px; overflow: hidden; background: #000; }
    img, .fx { position: absolute; left: 0; top: 0; width: 1600px; height: 1200px; }
    img { filter: blur(${d.blurPx}px); }
    .shade { background: linear-gradient(${d.shadeAngle}deg, rgba(255,250,235,${d.glare}) 0%, rgba(0,0,0,0) 30%, rgba(0,0,0,${d.shade}) 100%); }
    svg.fx { opacity: ${d.noiseOpacity}; mix-blend-mode: multiply; }
  </style></head><body>
    <img src="${photoDataUrl}" alt="">
    <div class="fx shade"></div>
    <svg class="fx" width="1600" height="1200" xmlns="http://www.w3.org/2000/svg">
      <filter id="noise"><feTurbulence type="fractalNoise" baseFrequency="0.9" numOctaves="2" seed="${d.noiseSeed}"/>
      <feColorMatrix type="saturate" values="0"/></filter><rect width="1600" height="1200" filter="url(#noise)"/></svg>
  </body></html>`;
}

/** A page showing an image scaled to `width` (for the low-resolution and JPEG re-encodes). */
export function imagePageHtml(dataUrl: string, width: number, height: number): string {
  return `<!doctype html><html><head><meta charset="utf-8"><style>
    html, body { margin: 0; padding: 0; background: #fff; overflow: hidden; }
    img { display: block; width: ${width}px; height: ${height}px; }
  </style></head><body><img src="${dataUrl}" alt=""></body></html>`;
}

// The BEV raster as one RGB picture for people (the dashboard, an MCAP export): each channel a colour, painted in
// channel order over black, forward up and left on the left. Not what the model reads (bev.ts's 8 planes).

import { BEV_CHANNELS, BEV_SIZE, BevChannel } from './bev.js';

/** Colour of each channel, index = channel, painted in this order (later channels over earlier ones). */
const CHANNEL_RGB: readonly (readonly [number, number, number])[] = (() => {
  const rgb: [number, number, number][] = new Array(BEV_CHANNELS);
  rgb[BevChannel.drivable] = [70, 70, 76];
  rgb[BevChannel.markings] = [230, 230, 230];
  rgb[BevChannel.route] = [60, 90, 170];
  rgb[BevChannel.vehicles] = [240, 160, 40];
  rgb[BevChannel.pedestrians] = [214, 52, 196];
  rgb[BevChannel.red] = [230, 40, 40];
  rgb[BevChannel.yellow] = [240, 210, 40];
  rgb[BevChannel.green] = [40, 200, 80];
  return rgb;
})();

/** (BEV_SIZE, BEV_SIZE, 3) RGB of a (BEV_CHANNELS, BEV_SIZE, BEV_SIZE) raster; a cell's value blends its colour in. */
export function bevPicture(bev: Uint8Array): Uint8Array {
  const plane = BEV_SIZE * BEV_SIZE;
  const rgb = new Uint8Array(plane * 3);
  for (let c = 0; c < BEV_CHANNELS; c++) {
    const colour = CHANNEL_RGB[c]!;
    for (let i = 0; i < plane; i++) {
      const alpha = bev[c * plane + i]! / 255;
      if (alpha === 0) continue;
      for (let k = 0; k < 3; k++)
        rgb[3 * i + k] = Math.round(rgb[3 * i + k]! * (1 - alpha) + colour[k]! * alpha);
    }
  }
  return rgb;
}

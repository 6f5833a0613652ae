// Plane angles: wrapping to one turn. Not geometry of lanes or boxes (sim/road, sim/metrics).

/** An angle wrapped to (-pi, pi] [rad]. */
export function wrapAngle(a: number): number {
  return a - 2 * Math.PI * Math.ceil((a - Math.PI) / (2 * Math.PI));
}

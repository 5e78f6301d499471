/** The largest global position (a signed 64-bit integer in every store): "read to the end". */
export const positionMax = 2n ** 63n - 1n;

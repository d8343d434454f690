/**
 * The energy Bayesian fraction of missing information (E-BFMI, Betancourt 2016) of one chain:
 * how well momentum resampling moves a Hamiltonian sampler between energy levels. Values below
 * BFMI_THRESHOLD suggest the chain explores the target's tails poorly.
 */

/** The provisional threshold below which a chain's E-BFMI is flagged (Stan, ArviZ). */
export const BFMI_THRESHOLD = 0.3;

/**
 * E-BFMI of one chain's energies in draw order: the sum of squared successive differences over
 * the sum of squared deviations from the chain's mean. ArviZ's `bfmi` divides the mean squared
 * difference (n − 1 terms) by the variance with ddof = 1, which is the same ratio.
 * NaN when the chain has fewer than two draws, a NaN draw, or no spread.
 */
export function bfmi(energy: ArrayLike<number>): number {
  const n = energy.length;
  if (n < 2) return NaN;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += energy[i];
  const mean = sum / n;
  let deviations = 0;
  let differences = 0;
  for (let i = 0; i < n; i++) {
    const d = energy[i] - mean;
    deviations += d * d;
    if (i > 0) {
      const step = energy[i] - energy[i - 1];
      differences += step * step;
    }
  }
  return deviations > 0 ? differences / deviations : NaN;
}

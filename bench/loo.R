# R's loo on the benchmark's log-likelihood draws, for bench/loo.bench.ts.
#   Rscript bench/loo.R LL.f64 CHAINS DRAWS N OUT.json
# LL.f64 holds float64 values in C order (chain, draw, observation). Prints the seconds that
# relative_eff and loo took together (reading the file is not timed), as loo.R's goldens call them.
suppressMessages(library(loo))
args <- commandArgs(trailingOnly = TRUE)
chains <- as.integer(args[2]); draws <- as.integer(args[3]); n <- as.integer(args[4])
values <- readBin(args[1], "double", n = chains * draws * n, size = 8, endian = "little")
a <- array(values, dim = c(n, draws, chains))
ll <- matrix(aperm(a, c(2, 3, 1)), nrow = draws * chains, ncol = n)
chain_id <- rep(seq_len(chains), each = draws)
elapsed <- system.time({
  r_eff <- relative_eff(exp(ll), chain_id = chain_id, cores = 1)
  x <- suppressWarnings(loo(ll, r_eff = r_eff, cores = 1))
})[["elapsed"]]
est <- x$estimates
out <- list(
  elapsed = elapsed,
  elpd_loo = est["elpd_loo", "Estimate"], se_elpd_loo = est["elpd_loo", "SE"],
  p_loo = est["p_loo", "Estimate"], looic = est["looic", "Estimate"],
  elpd_pointwise = unname(x$pointwise[, "elpd_loo"]),
  pareto_k = unname(x$pointwise[, "influence_pareto_k"])
)
writeLines(jsonlite::toJSON(out, auto_unbox = TRUE, digits = I(17)), args[5])
cat(elapsed, "\n")

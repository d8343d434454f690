# R's posterior on the benchmark's draws, for bench/diagnose.bench.ts.
#   Rscript bench/summarise_draws.R DRAWS.f64 PARAMS CHAINS DRAWS OUT.csv
# DRAWS.f64 holds float64 values, parameter by parameter, chain by chain, draw by draw.
# Prints the seconds summarise_draws took (reading the file is not timed).
suppressMessages(library(posterior))
args <- commandArgs(trailingOnly = TRUE)
params <- as.integer(args[2]); chains <- as.integer(args[3]); draws <- as.integer(args[4])
values <- readBin(args[1], "double", n = params * chains * draws, size = 8, endian = "little")
x <- array(values, dim = c(draws, chains, params))
dimnames(x) <- list(NULL, NULL, sprintf("theta[%d]", seq_len(params) - 1))
d <- as_draws_array(x)
# The same measures as drawscope's table, so both do the same work.
elapsed <- system.time(
  s <- summarise_draws(d, mean, sd, median, mad, quantile2, rhat, ess_bulk, ess_tail, mcse_mean, mcse_sd)
)[["elapsed"]]
# Plain vectors: summarise_draws' columns are pillar numbers, which write.csv cannot convert.
write.csv(as.data.frame(lapply(s, function(column) as.vector(unclass(column)))), args[5], row.names = FALSE)
cat(elapsed, "\n")

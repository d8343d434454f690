# Golden convergence diagnostics for tests/diagnostics.test.ts, from R's posterior package.
#   Rscript scripts/diagnostics-goldens.R [OUT_DIR]   (default tests/fixtures/diagnostics)
# Each case is written as OUT_DIR/<name>.json: the draws (chain after chain), the number of
# chains, and posterior's answers. Draws are rounded to 15 significant digits first, so the
# JSON text holds exactly the doubles R computed on. NA is written "NA", NaN "NaN", infinities
# "Inf"/"-Inf".
#
# The statistics are what summarise_draws() computes (as for fixtures/*.expected/diag_*.json): base
# mean, sd, median and mad; quantile2() for q5/q95 (quantile(type = 7) for draws without NA,
# and NA instead of quantile()'s error when there is one); rhat, ess_bulk, ess_tail, mcse_mean,
# mcse_sd.
suppressMessages(library(posterior))
library(jsonlite)

args <- commandArgs(trailingOnly = TRUE)
out_dir <- if (length(args)) args[1] else "tests/fixtures/diagnostics"
dir.create(out_dir, showWarnings = FALSE, recursive = TRUE)

ar1 <- function(n, rho) {
  x <- numeric(n)
  x[1] <- rnorm(1) / sqrt(1 - rho^2)
  for (t in 2:n) x[t] <- rho * x[t - 1] + rnorm(1)
  x
}

# Each case: name, what it checks, and a function of no arguments returning an
# iterations x chains matrix (draws are generated under set.seed(seed)).
cases <- list(
  list("normal_4x100", "iid normal draws", 1, function() matrix(rnorm(400), 100, 4)),
  list("normal_4x1000", "iid normal draws, the bench's shape", 2, function() matrix(rnorm(4000), 1000, 4)),
  list("ar1_09_4x500", "AR(1) rho = 0.9 chains: Geyer's truncation runs for dozens of lags", 3,
       function() sapply(1:4, function(c) ar1(500, 0.9))),
  list("ar1_099_2x1000", "AR(1) rho = 0.99 chains: a long truncation", 4,
       function() sapply(1:2, function(c) ar1(1000, 0.99))),
  list("ar1_anti_4x200", "AR(1) rho = -0.7 (antithetic): ESS above the draw count", 5,
       function() sapply(1:4, function(c) ar1(200, -0.7))),
  list("alternating_2x40", "an alternating chain: the first odd autocorrelation is about -1, so Geyer stops at once", 6,
       function() matrix(rep(c(1, -1), 40) + rnorm(80, sd = 0.01), 40, 2)),
  list("random_walk_2x30", "random walks: autocorrelations stay positive to the last lag R looks at", 7,
       function() apply(matrix(rnorm(60), 30, 2), 2, cumsum)),
  list("stuck_chain_4x100", "one chain shifted away from the others: large R-hat", 8,
       function() { m <- matrix(rnorm(400), 100, 4); m[, 3] <- m[, 3] + 3; m }),
  list("odd_3x101", "odd chain length: split chains drop each chain's middle draw", 9,
       function() matrix(rexp(303), 101, 3)),
  list("odd_nan_middle_2x51", "NaN at a chain's middle draw, which split chains drop: ess_bulk is still computed", 10,
       function() { m <- matrix(rnorm(102), 51, 2); m[26, 1] <- NaN; m }),
  list("one_chain_1x200", "a single chain", 11, function() matrix(ar1(200, 0.5), 200, 1)),
  list("one_chain_odd_1x7", "a single chain of 7 draws", 12, function() matrix(rnorm(7), 7, 1)),
  list("many_chains_8x50", "eight chains", 13, function() matrix(rgamma(400, 2), 50, 8)),
  list("constant_chain_4x50", "one chain constant, the others not", 14,
       function() { m <- matrix(rnorm(200), 50, 4); m[, 2] <- 0.25; m }),
  list("all_constant_4x50", "every draw the same", 15, function() matrix(1.5, 50, 4)),
  list("chains_constant_apart_3x20", "each chain constant at its own value: no within-chain variance", 16,
       function() matrix(rep(c(1, 2, 3), each = 20), 20, 3)),
  list("near_constant_4x50", "spread below machine epsilon: constant for posterior's is_constant, yet ranks differ", 17,
       function() matrix(1e-17 * rnorm(200), 50, 4)),
  list("offset_4x100", "a large offset (1e6) over unit noise", 18, function() matrix(1e6 + rnorm(400), 100, 4)),
  list("nan_one_4x50", "one NaN among the draws", 19, function() { m <- matrix(rnorm(200), 50, 4); m[7, 3] <- NaN; m }),
  list("na_one_4x50", "one NA among the draws", 19, function() { m <- matrix(rnorm(200), 50, 4); m[7, 3] <- NA; m }),
  list("inf_one_4x50", "one +Inf among the draws", 20, function() { m <- matrix(rnorm(200), 50, 4); m[9, 1] <- Inf; m }),
  list("inf_both_4x50", "a +Inf and a -Inf among the draws", 21,
       function() { m <- matrix(rnorm(200), 50, 4); m[9, 1] <- Inf; m[30, 4] <- -Inf; m }),
  list("inf_majority_2x6", "more than half the draws +Inf: the median is Inf, folding gives NaN", 22,
       function() matrix(c(Inf, Inf, 0.5, Inf, Inf, -1, Inf, Inf, 2, Inf, Inf, 0.1), 6, 2)),
  list("ties_4x100", "draws rounded to one decimal: many ties", 23, function() matrix(round(rnorm(400), 1), 100, 4)),
  list("discrete_4x100", "Poisson counts: heavy ties", 24, function() matrix(rpois(400, 2), 100, 4)),
  list("binary_4x60", "0/1 draws", 25, function() matrix(rbinom(240, 1, 0.3), 60, 4)),
  list("top_tied_4x50", "the top 10% of draws tied at the maximum: the 95% indicator is all TRUE", 26,
       function() { x <- rnorm(200); x[order(x, decreasing = TRUE)[1:20]] <- 5; matrix(x, 50, 4) }),
  list("draws_2x2", "4 draws: 2 chains x 2 draws", 27, function() matrix(rnorm(4), 2, 2)),
  list("draws_1x4", "4 draws: 1 chain x 4 draws", 28, function() matrix(rnorm(4), 4, 1)),
  list("draws_4x1", "4 draws: 4 chains x 1 draw", 29, function() matrix(rnorm(4), 1, 4)),
  list("draws_4x2", "2 draws per chain: split chains transpose to chains x 2", 30, function() matrix(rnorm(8), 2, 4)),
  list("draws_3x3", "3 draws per chain: split keeps first and last, transposed", 31, function() matrix(rnorm(9), 3, 3)),
  list("draws_2x3", "3 draws per chain, 2 chains", 32, function() matrix(rnorm(6), 3, 2)),
  list("draws_1x1", "a single draw", 33, function() matrix(0.7, 1, 1)),
  list("draws_1x2", "1 chain x 2 draws", 34, function() matrix(rnorm(2), 2, 1)),
  list("draws_1x3", "1 chain x 3 draws", 35, function() matrix(rnorm(3), 3, 1)),
  list("draws_4x4", "4 draws per chain: split chains of 2 draws, too short for ESS", 36, function() matrix(rnorm(16), 4, 4)),
  list("draws_2x6", "6 draws per chain: the shortest split chains with an ESS", 37, function() matrix(rnorm(12), 6, 2)),
  list("draws_3x12", "12 draws per chain", 38, function() matrix(rnorm(36), 12, 3))
)

stat <- function(f) {
  tryCatch(suppressWarnings(f()), error = function(e) {
    stop("R error in a golden case (document it instead): ", conditionMessage(e))
  })
}

for (case in cases) {
  name <- case[[1]]
  set.seed(case[[3]])
  m <- case[[4]]()
  m[is.finite(m)] <- signif(m[is.finite(m)], 15)
  q <- unname(quantile2(m, c(0.05, 0.95)))
  expected <- list(
    mean = stat(function() mean(m)), sd = stat(function() sd(m)),
    median = stat(function() median(m)), mad = stat(function() mad(m)),
    q5 = q[1], q95 = q[2],
    rhat = stat(function() rhat(m)), ess_bulk = stat(function() ess_bulk(m)),
    ess_tail = stat(function() ess_tail(m)), mcse_mean = stat(function() mcse_mean(m)),
    mcse_sd = stat(function() mcse_sd(m))
  )
  doc <- list(
    name = name, description = case[[2]],
    generator = sprintf("%s, posterior %s", R.version.string, packageVersion("posterior")),
    chains = ncol(m), draws = I(as.vector(m)), expected = expected
  )
  writeLines(toJSON(doc, auto_unbox = TRUE, digits = NA, na = "string"), file.path(out_dir, paste0(name, ".json")))
}

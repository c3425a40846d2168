// `ebmlab bench`: one field computed R times in-process by the direct reference or the fast path, one line out.
#pragma once

#include "math/field.h"
#include "math/grid.h"
#include "math/latents.h"

#include <iosfwd>
#include <string>
#include <vector>

namespace ebm::cli {

enum class BenchPath { Direct, Fast };

struct BenchArgs
{
    FieldKind kind = FieldKind::FreeEnergy; //!< F or Finf
    Grid grid{-3.0, 3.0, -3.0, 3.0, 512, 512};
    LatentSpec latents = LatentSpec::sampled(48);
    double beta = 1.0;
    BenchPath path = BenchPath::Fast;
    int threads = 1; //!< as given; 0 = every hardware thread
    int reps = 5;
};

//! \brief the options after "bench"; throws CliError
BenchArgs parseBenchArgs(const std::vector<std::string> &args);

//! \brief evals per field = nx ny N (nx ny for the continuous latent: one exact distance per point)
double evalsPerField(const BenchArgs &args);

//! \brief the result line: "bench field=F grid=512x512 latents=48 beta=1 path=fast threads=T median_ms=M
//! evals_per_s=V" with V = evalsPerField / (M / 1000), and T the threads actually used
std::string benchLine(const BenchArgs &args, int threadsUsed, double medianMs);

//! \brief runs `ebmlab bench` (\a args are the options after "bench"): computes the field --reps times over
//! [-3, 3]^2 with w = (2, 1.5) and prints benchLine with the median wall time on \a out. Returns 0; bad input
//! throws CliError before anything is computed.
int runBench(const std::vector<std::string> &args, std::ostream &out, std::ostream &err);

//! \brief the --help block of `ebmlab bench`
std::string benchUsage();

} // namespace ebm::cli

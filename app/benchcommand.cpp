#include "benchcommand.h"

#include "cliargs.h"
#include "math/ellipseebm.h"
#include "math/fastfield.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ostream>
#include <sstream>

namespace ebm::cli {

namespace {

constexpr int kMaxGridSide = 8192;
constexpr long long kMaxLatents = 1000000;
constexpr long long kMaxThreads = 1024;
constexpr long long kMaxReps = 1000;

std::string formatNumber(double v)
{
    std::ostringstream s;
    s << v; // 6 significant digits: 1, 0.001, 1e-06, inf
    return s.str();
}

} // namespace

BenchArgs parseBenchArgs(const std::vector<std::string> &args)
{
    const Options o(args, {"field", "grid", "latents", "beta", "path", "threads", "reps"});
    BenchArgs a;
    const std::string field = o.text("field", "F");
    if (field != "F" && field != "Finf")
        throw CliError("--field must be F or Finf, got \"" + field + "\"");
    a.kind = *fieldKindFromName(field);
    const auto [nx, ny] = parseGridSize("grid", o.text("grid", "512x512"), 2, kMaxGridSide);
    a.grid.nx = nx;
    a.grid.ny = ny;
    const std::string latents = o.text("latents", "48");
    a.latents = latents == "continuous"
                    ? LatentSpec::continuous()
                    : LatentSpec::sampled(static_cast<int>(parseInteger("latents", latents, 1, kMaxLatents)));
    a.beta = parseNumber("beta", o.text("beta", "1"), true);
    if (!(a.beta > 0.0))
        throw CliError("--beta must be positive (or inf), got " + o.text("beta", ""));
    const std::string path = o.text("path", "fast");
    if (path != "direct" && path != "fast")
        throw CliError("--path must be direct or fast, got \"" + path + "\"");
    a.path = path == "direct" ? BenchPath::Direct : BenchPath::Fast;
    a.threads = static_cast<int>(parseInteger("threads", o.text("threads", "1"), 0, kMaxThreads));
    if (a.path == BenchPath::Direct && a.threads != 1)
        throw CliError("--threads must be 1 with --path direct (the reference runs on one thread)");
    a.reps = static_cast<int>(parseInteger("reps", o.text("reps", "5"), 1, kMaxReps));
    return a;
}

double evalsPerField(const BenchArgs &args)
{
    const double points = static_cast<double>(args.grid.nx) * args.grid.ny;
    return args.latents.isContinuous() ? points : points * args.latents.count();
}

std::string benchLine(const BenchArgs &args, int threadsUsed, double medianMs)
{
    char timing[96];
    std::snprintf(timing, sizeof timing, "median_ms=%.3f evals_per_s=%.4g", medianMs,
                  evalsPerField(args) / (std::max(medianMs, 1e-6) * 1e-3));
    return "bench field=" + fieldKindName(args.kind) + " grid=" + std::to_string(args.grid.nx) + "x" +
           std::to_string(args.grid.ny) + " latents=" +
           (args.latents.isContinuous() ? std::string("continuous") : std::to_string(args.latents.count())) +
           " beta=" + formatNumber(args.beta) + " path=" + (args.path == BenchPath::Fast ? "fast" : "direct") +
           " threads=" + std::to_string(threadsUsed) + " " + timing;
}

int runBench(const std::vector<std::string> &args, std::ostream &out, std::ostream &err)
{
    const BenchArgs a = parseBenchArgs(args);
    const EllipseEbm model(EllipseParams{2.0, 1.5}, a.latents);
    const FieldRequest request{a.kind, a.beta, 0.0};
    const int threadsUsed = a.path == BenchPath::Direct ? 1 : (a.threads == 0 ? hardwareThreads() : a.threads);
    std::vector<double> ms;
    double checksum = 0.0; // keeps the work observable, so no compiler can drop it
    for (int r = 0; r < a.reps; ++r) {
        const auto start = std::chrono::steady_clock::now();
        const std::optional<Eigen::MatrixXd> values = a.path == BenchPath::Direct
                                                          ? evaluateField(model, request, a.grid)
                                                          : evaluateFieldFast(model, request, a.grid, threadsUsed);
        ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
        checksum += (*values)(0, 0);
    }
    if (!std::isfinite(checksum)) {
        err << "ebmlab bench: the field is not finite\n";
        return 1;
    }
    std::sort(ms.begin(), ms.end());
    const size_t mid = ms.size() / 2;
    const double median = ms.size() % 2 ? ms[mid] : 0.5 * (ms[mid - 1] + ms[mid]);
    out << benchLine(a, threadsUsed, median) << '\n';
    return 0;
}

std::string benchUsage()
{
    return R"(ebmlab bench
  --field F|Finf   the field to time (default F)
  --grid NXxNY     points per side over [-3, 3]^2, 2..8192 (default 512x512)
  --latents N|continuous
                   sampled latents, 1..1000000, or the continuous latent (default 48)
  --beta B|inf     inverse temperature for F, B > 0 (default 1)
  --path direct|fast
                   the reference (one thread) or the fast path (default fast)
  --threads T      threads for the fast path, 0 = every hardware thread (default 1)
  --reps R         fields to compute, 1..1000; the median wall time is reported (default 5)
  Prints one line: bench field=F grid=512x512 latents=48 beta=1 path=fast threads=T median_ms=M evals_per_s=V
  (evals = nx ny N per field, nx ny for the continuous latent); w = (2, 1.5).
)";
}

} // namespace ebm::cli

#include "commands.h"

#include "benchcommand.h"
#include "cliargs.h"
#include "familycommand.h"
#include "io/csvio.h"
#include "math/fastfield.h"
#include "math/parallelblocks.h"
#include "rendercommand.h"
#include "traincommand.h"

#include <QDir>
#include <QFileInfo>

#include <cmath>
#include <ostream>

namespace ebm::cli {

namespace {

constexpr long long kMaxLatents = 1000000;
constexpr int kMaxGridSide = 8192;

int runData(const std::vector<std::string> &args, std::ostream &err)
{
    const DataArgs a = parseDataArgs(args);
    checkWritable(a.out);
    QByteArray text(a.horn ? "x,y1,y2\n" : "y1,y2\n");
    if (a.horn) {
        for (const HornSample &s : hornSamples(a.spec))
            text += formatNumber(s.x) + ',' + formatNumber(s.y.x()) + ',' + formatNumber(s.y.y()) + '\n';
    } else {
        for (const Vec2 &y : ellipseSamples(a.spec))
            text += formatNumber(y.x()) + ',' + formatNumber(y.y()) + '\n';
    }
    const QString error = writeFileAtomically(QString::fromStdString(a.out), text);
    if (!error.isEmpty()) {
        err << "ebmlab data: " << error.toStdString() << '\n';
        return 2;
    }
    return 0;
}

int runField(const std::vector<std::string> &args, std::ostream &err)
{
    const FieldArgs a = parseFieldArgs(args);
    checkWritable(a.out);
    const EllipseEbm model(a.w, a.latents);
    // The window's path (fast, all cores); tests/core/tst_fastfield holds it to the reference to 1e-9.
    const auto values = evaluateFieldFast(model, a.request, a.grid, hardwareThreads());
    const QString error = writeFieldCsv(QString::fromStdString(a.out), a.grid, *values);
    if (!error.isEmpty()) {
        err << "ebmlab field: " << error.toStdString() << '\n';
        return 2;
    }
    return 0;
}

} // namespace

DataArgs parseDataArgs(const std::vector<std::string> &args)
{
    const Options o(args, {"n", "x", "noise", "seed", "out"}, {"horn"});
    DataArgs a;
    a.spec.count = static_cast<int>(parseInteger("n", o.text("n", "24"), 1, 10000000));
    a.spec.x = parseNumber("x", o.text("x", "0"));
    if (a.spec.x < -5.0 || a.spec.x > 5.0)
        throw CliError("--x must lie in [-5, 5] (the lecture uses [0, 1])");
    a.spec.noise = parseNumber("noise", o.text("noise", "0.05"));
    if (a.spec.noise < 0.0 || a.spec.noise > kMaxMagnitude)
        throw CliError("--noise must be between 0 and 1e6");
    a.spec.seed = parseSeed("seed", o.text("seed", "0"));
    a.horn = o.flag("horn");
    if (a.horn && static_cast<long long>(a.spec.count) * 51 > 10000000)
        throw CliError("--n with --horn must be at most 196078 (51 values of x)");
    a.out = o.required("out");
    return a;
}

FieldArgs parseFieldArgs(const std::vector<std::string> &args)
{
    const Options o(args, {"field", "beta", "w", "latents", "range", "grid", "z", "out"});
    FieldArgs a;
    const std::string name = o.text("field", "F");
    const auto kind = fieldKindFromName(name);
    if (!kind)
        throw CliError("--field must be F, Finf, E or posterior, got \"" + name + "\"");
    a.request.kind = *kind;
    a.request.beta = parseNumber("beta", o.text("beta", "1"), true);
    if (!(a.request.beta > 0.0))
        throw CliError("--beta must be positive (or inf), got " + o.text("beta", ""));
    const std::vector<double> w = parseList("w", o.text("w", "2,1.5"), 2);
    for (double v : w) {
        if (std::abs(v) > kMaxMagnitude)
            throw CliError("--w must lie within +-1e6");
    }
    a.w = {w[0], w[1]};
    const std::string latents = o.text("latents", "48");
    a.latents = latents == "continuous"
                    ? LatentSpec::continuous()
                    : LatentSpec::sampled(static_cast<int>(parseInteger("latents", latents, 1, kMaxLatents)));
    const std::vector<double> r = parseList("range", o.text("range", "-3,3,-3,3"), 4);
    for (double v : r) {
        if (std::abs(v) > kMaxMagnitude)
            throw CliError("--range must lie within +-1e6");
    }
    const auto [nx, ny] = parseGridSize("grid", o.text("grid", "121x121"), 2, kMaxGridSide);
    a.grid = {r[0], r[1], r[2], r[3], nx, ny};
    if (const std::string problem = a.grid.problem(); !problem.empty())
        throw CliError("--range/--grid: " + problem);
    a.request.z = parseBounded("z", o.text("z", "0"));
    if (const std::string problem = fieldProblem(EllipseEbm(a.w, a.latents), a.request); !problem.empty())
        throw CliError(problem);
    a.out = o.required("out");
    return a;
}

bool isHeadlessCommand(const std::string &word)
{
    return word == "data" || word == "field" || word == "train" || word == "bench" || word == "render" ||
           word == "help" || word == "--help" || word == "-h" || word == "--version";
}

int runHeadless(const std::vector<std::string> &args, std::ostream &out, std::ostream &err)
{
    const std::string command = args.empty() ? std::string("help") : args.front();
    const std::vector<std::string> rest(args.begin() + (args.empty() ? 0 : 1), args.end());
    const bool wantsHelp = !rest.empty() && (rest.front() == "--help" || rest.front() == "-h");
    if (command == "help" || command == "--help" || command == "-h" || wantsHelp) {
        out << usageText();
        return 0;
    }
    if (command == "--version") {
        out << "ebmlab " << EBMLAB_VERSION << '\n';
        return 0;
    }
    try {
        if (command == "data")
            return runData(rest, err);
        if (command == "field" || command == "train") { // --model ellipse (the default) runs them as before
            const ModelChoice model = splitModelOption(rest);
            if (model.kind != ModelKind::Ellipse)
                return command == "field" ? runFamilyField(model.kind, model.rest, err)
                                          : runFamilyTrain(model.kind, model.rest, err);
            return command == "field" ? runField(model.rest, err) : runTrain(model.rest, out, err);
        }
        if (command == "bench")
            return runBench(rest, out, err);
        if (command == "render")
            return runRender(rest, err);
        throw CliError("unknown subcommand \"" + command + "\" (try ebmlab --help)");
    } catch (const CliError &e) {
        err << "ebmlab " << command << ": " << e.what() << '\n';
    } catch (const std::exception &e) {
        err << "ebmlab " << command << ": " << e.what() << '\n';
    }
    return 2;
}

std::string usageText()
{
    return R"(EBM Lab: latent-variable energy-based models you can touch.

Usage:
  ebmlab                      open the window on the lecture's default ellipse
  ebmlab data  [options]      write a seeded training set as CSV
  ebmlab field [options]      write a field of the model over a grid as CSV
  ebmlab train [options]      train w by full-batch gradient descent and write the trace as CSV
  ebmlab bench [options]      time the field computation in process and print one line
  ebmlab render [options]     draw the window or one panel without a display, as PNG, PDF or SVG
  ebmlab --help | --version

ebmlab data
  --n N            number of samples (default 24; per x value with --horn)
  --x X            conditioning variable: rho(x) = (1.5x + 2(1-x), 2x + 1.5(1-x)) exp(2x) (default 0)
  --noise S        standard deviation of the Gaussian noise (default 0.05)
  --seed S         unsigned 64-bit seed; the same seed gives the same points everywhere (default 0)
  --horn           the horn: N samples at each x in 0, 1/50, ..., 1; header x,y1,y2
  --out FILE       output CSV (header y1,y2), or - for standard output (required)

ebmlab field
  --field F|Finf|E|posterior
                   F: F_beta(y) = -(1/beta) log mean_z exp(-beta E(y,z))   (default F)
                   Finf: F_inf(y) = min_z E(y,z)
                   E: E(y,z) = (y1 - w1 cos z)^2 + (y2 - w2 sin z)^2 at --z
                   posterior: P_beta(z|y) at --z (a probability for N latents, a density in z for continuous)
  --beta B|inf     inverse temperature, B > 0 (default 1)
  --w W1,W2        decoder g(z) = (w1 cos z, w2 sin z) (default 2,1.5)
  --latents N|continuous
                   z in {2 pi k / N : k = 0..N-1} (default 48), or all of [0, 2 pi)
  --range X0,X1,Y0,Y1
                   the rectangle of y, X0 < X1 and Y0 < Y1 (default -3,3,-3,3)
  --grid NXxNY     points per side, both ends included, 2..8192 (default 121x121)
  --z Z            latent angle for E and posterior, snapped to the nearest sampled z (default 0)
  --out FILE       output CSV, or - for standard output (required)
                   header y1,y2,value; y2 in the outer loop, y1 inner, both ascending; 17 significant digits

Bad input (unknown option, malformed number, beta <= 0, N < 1, empty range, unwritable path) prints one
line naming the problem on standard error, exits with status 2 and leaves no output file.
)" + std::string("\n") +
           trainUsage() + "\n" + familyUsage() + "\n" + benchUsage() + "\n" + renderUsage();
}

} // namespace ebm::cli

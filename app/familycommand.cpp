#include "familycommand.h"

#include "cliargs.h"
#include "io/csvio.h"
#include "math/kmeansmodel.h"
#include "math/parallelblocks.h"
#include "math/sparsecodingmodel.h"

#include <cmath>
#include <ostream>

namespace ebm::cli {

namespace {

constexpr long long kMaxSteps = 100000;
constexpr long long kMaxSamples = 100000;
constexpr long long kMaxClusters = 1000;
constexpr long long kMaxAtoms = 64;
constexpr int kMaxGridSide = 8192;

std::vector<Vec2> familyDataFrom(const Options &o)
{
    if (o.has("data") && (o.has("seed") || o.has("n")))
        throw CliError("give either --data or --seed/--n, not both");
    if (!o.has("data")) {
        const auto seed = parseSeed("seed", o.text("seed", "0"));
        return familyData(seed, static_cast<int>(parseInteger("n", o.text("n", "50"), 1, kMaxSamples)));
    }
    const std::string path = o.text("data", "");
    const DataCsv csv = readDataCsv(QString::fromStdString(path));
    if (!csv.error.isEmpty())
        throw CliError("--data " + csv.error.toStdString());
    if (csv.points.empty())
        throw CliError("--data " + path + " holds no data points");
    for (const Vec2 &y : csv.points) {
        if (std::abs(y.x()) > kMaxMagnitude || std::abs(y.y()) > kMaxMagnitude)
            throw CliError("--data " + path + ": the coordinates must lie within +-1e6");
    }
    return csv.points;
}

//! The options every family command shares, plus the model's own; \a extra are the command's.
std::set<std::string> familyOptions(ModelKind kind, std::set<std::string> extra)
{
    extra.insert({"init-seed", "steps", "data", "seed", "n", "out"});
    if (kind == ModelKind::KMeans)
        extra.insert("k");
    else
        extra.insert({"atoms", "alpha", "lr"});
    return extra;
}

FamilySetup makeSetup(ModelKind kind, const Options &o, bool stepsRequired)
{
    FamilySetup s;
    const std::uint64_t initSeed = parseSeed("init-seed", o.text("init-seed", "0"));
    s.steps = static_cast<int>(
        parseInteger("steps", stepsRequired ? o.required("steps") : o.text("steps", "0"), 0, kMaxSteps));
    s.out = o.required("out");
    s.data = familyDataFrom(o);
    if (kind == ModelKind::KMeans) {
        const auto k = parseInteger("k", o.text("k", std::to_string(kLectureClusters)), 1, kMaxClusters);
        if (k > static_cast<long long>(s.data.size()))
            throw CliError("--k " + std::to_string(k) + " exceeds the " + std::to_string(s.data.size()) +
                           " data points (the centroids start at distinct data points)");
        s.model = std::make_unique<KMeansModel>(KMeans::fromData(s.data, static_cast<int>(k), initSeed));
        return s;
    }
    const auto atoms = parseInteger("atoms", o.text("atoms", std::to_string(kDefaultAtoms)), 1, kMaxAtoms);
    const double alpha = parseBounded("alpha", o.text("alpha", "0.1"));
    if (alpha < 0.0)
        throw CliError("--alpha must be non-negative, got " + o.text("alpha", ""));
    s.learningRate = parseBounded("lr", o.text("lr", "0.1"));
    if (!(s.learningRate > 0.0))
        throw CliError("--lr must be positive, got " + o.text("lr", ""));
    s.model = std::make_unique<SparseCodingModel>(SparseCoding::random(static_cast<int>(atoms), alpha, initSeed));
    return s;
}

QByteArray traceRow(int epoch, double loss, const Eigen::MatrixXd &p)
{
    QByteArray row = QByteArray::number(epoch) + ',' + formatNumber(loss);
    for (Eigen::Index c = 0; c < p.cols(); ++c) {
        for (Eigen::Index r = 0; r < p.rows(); ++r)
            row += ',' + formatNumber(p(r, c));
    }
    return row + '\n';
}

} // namespace

ModelChoice splitModelOption(const std::vector<std::string> &args)
{
    ModelChoice choice;
    std::string name;
    bool seen = false;
    for (size_t i = 0; i < args.size(); ++i) {
        if (args[i] == "--model" || args[i].rfind("--model=", 0) == 0) {
            if (seen)
                throw CliError("--model is given twice");
            seen = true;
            if (args[i] != "--model") {
                name = args[i].substr(8);
            } else if (i + 1 < args.size()) {
                name = args[++i];
            } else {
                throw CliError("--model needs a value");
            }
            continue;
        }
        choice.rest.push_back(args[i]);
    }
    if (seen) {
        const auto kind = modelKindFromName(name);
        if (!kind)
            throw CliError("--model must be ellipse, kmeans or sparse, got \"" + name + "\"");
        choice.kind = *kind;
    }
    return choice;
}

std::string familyTraceHeader(const EnergyModel &model)
{
    std::string header = "epoch,loss";
    const Eigen::MatrixXd p = model.parameters();
    const int firstRow = model.kind() == ModelKind::SparseCoding ? 0 : 1;
    for (Eigen::Index c = 0; c < p.cols(); ++c) {
        for (Eigen::Index r = 0; r < p.rows(); ++r)
            header += ",w" + std::to_string(c) + "_" + std::to_string(r + firstRow);
    }
    return header;
}

int runFamilyField(ModelKind kind, const std::vector<std::string> &args, std::ostream &err)
{
    const Options o(args, familyOptions(kind, {"field", "beta", "range", "grid", "z"}));
    const std::string name = o.text("field", kind == ModelKind::SparseCoding ? "Finf" : "F");
    const auto fieldKind = fieldKindFromName(name);
    if (!fieldKind)
        throw CliError("--field must be F, Finf, E or posterior, got \"" + name + "\"");
    FieldRequest request;
    request.kind = *fieldKind;
    request.beta = parseNumber("beta", o.text("beta", kind == ModelKind::SparseCoding ? "inf" : "1"), true);
    if (!(request.beta > 0.0))
        throw CliError("--beta must be positive (or inf), got " + o.text("beta", ""));
    request.z = parseBounded("z", o.text("z", "0"));
    const std::vector<double> r = parseList("range", o.text("range", "-3,3,-3,3"), 4);
    for (double v : r) {
        if (std::abs(v) > kMaxMagnitude)
            throw CliError("--range must lie within +-1e6");
    }
    const auto [nx, ny] = parseGridSize("grid", o.text("grid", "121x121"), 2, kMaxGridSide);
    const Grid grid{r[0], r[1], r[2], r[3], nx, ny};
    if (const std::string problem = grid.problem(); !problem.empty())
        throw CliError("--range/--grid: " + problem);
    FamilySetup s = makeSetup(kind, o, false);
    if (const std::string problem = s.model->fieldProblem(request); !problem.empty())
        throw CliError(problem);
    checkWritable(s.out);
    for (int step = 0; step < s.steps; ++step)
        s.model->trainStep(s.data, {s.learningRate, kInfiniteBeta});
    const auto values = evaluateModelField(*s.model, request, grid, hardwareThreads());
    const QString error = writeFieldCsv(QString::fromStdString(s.out), grid, *values);
    if (!error.isEmpty()) {
        err << "ebmlab field: " << error.toStdString() << '\n';
        return 2;
    }
    return 0;
}

int runFamilyTrain(ModelKind kind, const std::vector<std::string> &args, std::ostream &err)
{
    const Options o(args, familyOptions(kind, {}));
    FamilySetup s = makeSetup(kind, o, true);
    checkWritable(s.out);
    QByteArray text = QByteArray::fromStdString(familyTraceHeader(*s.model)) + '\n';
    std::string stopped;
    for (int epoch = 0; epoch <= s.steps; ++epoch) {
        if (epoch > 0)
            s.model->trainStep(s.data, {s.learningRate, kInfiniteBeta});
        const double loss = s.model->loss(s.data);
        const Eigen::MatrixXd p = s.model->parameters();
        if (!std::isfinite(loss) || !p.allFinite()) {
            stopped = "the loss stopped being finite at step " + std::to_string(epoch);
            break;
        }
        text += traceRow(epoch, loss, p);
    }
    const QString error = writeFileAtomically(QString::fromStdString(s.out), text);
    if (!error.isEmpty()) {
        err << "ebmlab train: " << error.toStdString() << '\n';
        return 2;
    }
    if (!stopped.empty()) {
        err << "ebmlab train: " << stopped << "; the trace up to there was written\n";
        return 1;
    }
    return 0;
}

std::string familyUsage()
{
    return R"(ebmlab field|train --model ellipse|kmeans|sparse
  The lecture's other EBMs (default: ellipse, with the options above, unchanged). Data for kmeans and sparse:
  --data FILE (a y1,y2 CSV), or generated as ebmlab data --seed S --n N (50 ellipse samples at x = 0 by default).
  --model kmeans   z one-hot over K, Dec(z) = W z, E = ||y - w_k||^2, F_inf = min_k E,
                   F_beta = -(1/beta) log((1/K) sum_k exp(-beta E_k)) (soft k-means)
    --k K            centroids, 1..1000 and at most the number of data points (default 15)
    --init-seed S    the centroids start at K distinct data points drawn with this seed (default 0)
  --model sparse   y_dot = (1, y), E = ||y_dot - W z||^2 + alpha ||z||_1 with unit atoms; z_check by FISTA, then
                   the two largest |z_check| refit by least squares: F_inf = E(y, z_check_2)
    --atoms D        atoms (columns of the 3 x D dictionary), 1..64 (default 8)
    --alpha A        sparsity weight, A >= 0 (default 0.1)
    --lr ETA         gradient step on W, renormalised to unit atoms after each step (default 0.1)
    --init-seed S    the atoms start as normalised Normal(0, 1) vectors drawn with this seed (default 0)
  --steps S        Lloyd steps (kmeans) or gradient steps (sparse), 0..100000: taken before the field is
                   computed (default 0), or the length of the training trace (required by train)
  --data FILE | --seed S [--n N]   the data (default --seed 0 --n 50)
  field: --field, --beta, --range, --grid, --z and --out as for the ellipse; for kmeans --z is the cluster
         index k of E and posterior; sparse has Finf only (default field Finf).
  train: writes one row per step from 0 (the initial model): header epoch,loss,<parameters>, loss = mean F_inf;
         kmeans: w<k>_1,w<k>_2 for every centroid k; sparse: w<j>_0,w<j>_1,w<j>_2 for every atom j (w<j>_0 is
         the constant coordinate of y_dot); 17 significant digits.
)";
}

} // namespace ebm::cli

#include "traincommand.h"

#include "cliargs.h"
#include "io/csvio.h"
#include "math/dataset.h"

#include <QFileInfo>

#include <cmath>
#include <ostream>

namespace ebm::cli {

namespace {

constexpr long long kMaxEpochs = 1000000;
constexpr long long kMaxLatents = 1000000;
constexpr long long kMaxSamples = 100000;
constexpr long long kMaxNegatives = 1000;

} // namespace

std::vector<Vec2> readData(const std::string &path)
{
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

namespace {

QByteArray traceCsv(const std::vector<TracePoint> &trace)
{
    QByteArray text("epoch,w1,w2,loss\n");
    for (const TracePoint &row : trace) {
        text += QByteArray::number(row.epoch) + ',' + formatNumber(row.w.w1) + ',' + formatNumber(row.w.w2) + ',' +
                formatNumber(row.loss) + '\n';
    }
    return text;
}

} // namespace

TrainArgs parseTrainArgs(const std::vector<std::string> &args)
{
    const Options o(args, {"loss", "beta", "init", "lr", "epochs", "margin", "negatives", "neg-count", "neg-seed",
                           "latents", "data", "seed", "n", "out"});
    TrainArgs a;
    TrainingConfig &c = a.config;
    const std::string loss = o.required("loss");
    const auto kind = lossKindFromName(loss);
    if (!kind)
        throw CliError("--loss must be energy, hinge, log, simple, square-square or nll, got \"" + loss + "\"");
    c.loss.kind = *kind;
    c.loss.beta = parseNumber("beta", o.required("beta"), true);
    if (!(c.loss.beta > 0.0))
        throw CliError("--beta must be positive (or inf), got " + o.required("beta"));
    const std::vector<double> init = parseList("init", o.required("init"), 2);
    for (double v : init) {
        if (std::abs(v) > kMaxMagnitude)
            throw CliError("--init must lie within +-1e6");
    }
    c.init = {init[0], init[1]};
    c.learningRate = parseBounded("lr", o.required("lr"));
    if (!(c.learningRate > 0.0))
        throw CliError("--lr must be positive, got " + o.required("lr"));
    a.epochs = static_cast<int>(parseInteger("epochs", o.required("epochs"), 0, kMaxEpochs));
    c.loss.margin = parseBounded("margin", o.text("margin", "1"));
    if (c.loss.margin < 0.0)
        throw CliError("--margin must be non-negative, got " + o.text("margin", ""));
    const std::string strategy = o.text("negatives", "uniform");
    const auto negatives = negativeStrategyFromName(strategy);
    if (!negatives)
        throw CliError("--negatives must be uniform, noise or offending, got \"" + strategy + "\"");
    c.negatives.strategy = *negatives;
    c.negatives.count = static_cast<int>(parseInteger("neg-count", o.text("neg-count", "1"), 1, kMaxNegatives));
    c.negatives.seed = parseSeed("neg-seed", o.text("neg-seed", "0"));
    const std::string latents = o.text("latents", "48");
    c.latents = latents == "continuous"
                    ? LatentSpec::continuous()
                    : LatentSpec::sampled(static_cast<int>(parseInteger("latents", latents, 1, kMaxLatents)));
    if (o.has("data") == o.has("seed"))
        throw CliError(o.has("data") ? "give either --data or --seed, not both"
                                     : "the data are required: --data FILE or --seed S [--n N]");
    if (o.has("data") && o.has("n"))
        throw CliError("--n goes with --seed, not with --data");
    a.out = o.required("out");
    if (const std::string problem = trainingConfigProblem(c); !problem.empty())
        throw CliError(problem);
    if (o.has("data")) {
        a.data = readData(o.text("data", ""));
    } else {
        DatasetSpec spec;
        spec.seed = parseSeed("seed", o.text("seed", "0"));
        spec.count = static_cast<int>(parseInteger("n", o.text("n", "24"), 1, kMaxSamples));
        a.data = ellipseSamples(spec);
    }
    return a;
}

int runTrain(const std::vector<std::string> &args, std::ostream &out, std::ostream &err)
{
    (void)out; // the trace goes to --out ("-" is standard output, written by writeFileAtomically)
    TrainArgs a = parseTrainArgs(args);
    checkWritable(a.out);
    TrainingRun run(std::move(a.data), a.config);
    run.run(a.epochs);
    const QString error = writeFileAtomically(QString::fromStdString(a.out), traceCsv(run.trace()));
    if (!error.isEmpty()) {
        err << "ebmlab train: " << error.toStdString() << '\n';
        return 2;
    }
    if (run.diverged()) {
        err << "ebmlab train: " << run.message() << "; the trace up to there was written\n";
        return 1;
    }
    return 0;
}

std::string trainUsage()
{
    return R"(ebmlab train
  Full-batch gradient descent w <- w - eta dL/dw on w = (w1, w2), L = (1/|Y|) sum_i l(F, y_i).
  --loss energy|hinge|log|simple|square-square|nll
                   energy: F(y)                        hinge: [F(y) - F(y^) + m]^+
                   log: log(1 + exp(F(y) - F(y^)))     simple: [F(y)]^+ + [m - F(y^)]^+
                   square-square: ([F(y)]^+)^2 + ([m - F(y^)]^+)^2
                   nll: F(y) + (1/beta) log sum_{y'} exp(-beta F(y')), y' on a 21x21 grid over [-3,3]^2
                   (at beta = inf: F(y) - min_{y'} F(y'))   (required)
  --beta B|inf     F = F_beta, B > 0, or F = F_inf with inf (zero-temperature training) (required)
  --init W1,W2     w at epoch 0, within +-1e6 (required; the lecture starts from 1,1)
  --lr ETA         learning rate eta > 0 (required)
  --epochs K       gradient steps, 0..1000000 (required)
  --margin M       m >= 0 of hinge, simple and square-square (default 1)
  --negatives uniform|noise|offending
                   the negatives y^ of hinge, log, simple and square-square (default uniform):
                   uniform in [-3,3]^2; the data point plus Normal(0, 0.5^2) noise; or the lowest F among
                   16 uniform candidates at least 0.25 from every data point
  --neg-count C    negatives per data point and epoch, 1..1000; a point's loss is the mean over its C pairs
                   (default 1)
  --neg-seed S     unsigned 64-bit seed; epoch k's negatives depend on S and k alone (default 0)
  --latents N|continuous
                   z in {2 pi k / N : k = 0..N-1} (default 48), or all of [0, 2 pi)
  --data FILE      training data, a y1,y2 CSV as written by ebmlab data
  --seed S         or generate the data as ebmlab data --seed S --n N does (exactly one of --data, --seed)
  --n N            number of generated samples, 1..100000 (default 24)
  --out FILE       output CSV, or - for standard output (required)
                   header epoch,w1,w2,loss; row k holds w after k steps and the loss there (with epoch k's
                   negatives); epoch 0 is --init; 17 significant digits

  Bad input prints one line naming the problem, exits with status 2 and leaves no output file. If training
  diverges (a non-finite loss, or w beyond +-1e6), the rows up to the last finite epoch are written, one line
  says where it stopped, and the exit status is 1.
)";
}

} // namespace ebm::cli

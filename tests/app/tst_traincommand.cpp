// `ebmlab train`: the trace CSV (header, epoch 0 = --init, the core trainer's numbers to the last bit) and the
// error contract (CliError, hence exit 2 with one line, and no output file).
#include "cliargs.h"
#include "testhelpers.h"
#include "traincommand.h"

#include "io/csvio.h"
#include "math/dataset.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <sstream>

using namespace ebm;
using ebm::cli::CliError;

namespace {

int train(const QString &line, std::string *errText = nullptr)
{
    std::ostringstream out, err;
    const int code = cli::runTrain(ebmtest::splitArgs(line), out, err);
    if (errText)
        *errText = err.str();
    return code;
}

// The rows as the file gives them, parsed back: 17 significant digits round-trip every double exactly.
std::vector<TracePoint> parseTrace(const QList<QByteArray> &lines)
{
    std::vector<TracePoint> rows;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QList<QByteArray> cells = lines[i].split(',');
        if (cells.size() != 4)
            return {};
        rows.push_back({cells[0].toInt(), {cells[1].toDouble(), cells[2].toDouble()}, cells[3].toDouble()});
    }
    return rows;
}

} // namespace

class TestTrainCommand : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void writesTheCoreTrace_data();
    void writesTheCoreTrace();
    void dataFileEqualsGeneratedData();
    void divergenceWritesTheFinitePartAndExitsOne();
    void badInputThrowsAndWritesNothing_data();
    void badInputThrowsAndWritesNothing();
    void usageNamesEveryOption();

private:
    QTemporaryDir m_dir;
    QString path(const QString &name) const { return m_dir.filePath(name); }
};

void TestTrainCommand::init()
{
    QVERIFY(m_dir.isValid());
    QFile::remove(path("trace.csv"));
}

void TestTrainCommand::writesTheCoreTrace_data()
{
    QTest::addColumn<QString>("options");
    QTest::addColumn<QString>("loss");
    QTest::addColumn<double>("beta");
    QTest::addColumn<int>("latents"); // 0: continuous
    QTest::addColumn<QString>("negatives");
    QTest::newRow("energy cold") << ""
                                 << "energy" << kInfiniteBeta << 48 << "uniform";
    QTest::newRow("energy warm") << "--latents 12"
                                 << "energy" << 2.0 << 12 << "uniform";
    QTest::newRow("hinge noise") << "--margin 0.5 --negatives noise --neg-count 3 --neg-seed 7"
                                 << "hinge" << 1.0 << 48 << "noise";
    QTest::newRow("log offending") << "--negatives offending --neg-seed 3"
                                   << "log" << kInfiniteBeta << 48 << "offending";
    QTest::newRow("simple") << "--margin 2"
                            << "simple" << 3.0 << 48 << "uniform";
    QTest::newRow("square-square continuous") << "--latents continuous"
                                              << "square-square" << kInfiniteBeta << 0 << "uniform";
    QTest::newRow("nll") << ""
                         << "nll" << 1.0 << 48 << "uniform";
}

void TestTrainCommand::writesTheCoreTrace()
{
    QFETCH(QString, options);
    QFETCH(QString, loss);
    QFETCH(double, beta);
    QFETCH(int, latents);
    QFETCH(QString, negatives);
    const QString line =
        QStringLiteral("--loss %1 --beta %2 --init 1,1 --lr 0.05 --epochs 12 --seed 0 --n 24 %3 --out %4")
            .arg(loss, std::isinf(beta) ? QStringLiteral("inf") : QString::number(beta), options, path("trace.csv"));
    QCOMPARE(train(line), 0);
    const QList<QByteArray> lines = ebmtest::csvLines(path("trace.csv"));
    QCOMPARE(lines.size(), 14); // the header, then epochs 0..12
    QCOMPARE(lines.front(), QByteArray("epoch,w1,w2,loss"));
    QVERIFY(lines[1].startsWith("0,1,1,")); // epoch 0 is the initial state

    TrainingConfig c;
    c.loss.kind = *lossKindFromName(loss.toStdString());
    c.loss.beta = beta;
    c.latents = latents ? LatentSpec::sampled(latents) : LatentSpec::continuous();
    c.learningRate = 0.05;
    c.init = {1.0, 1.0};
    const cli::TrainArgs parsed = cli::parseTrainArgs(ebmtest::splitArgs(line));
    c.loss.margin = parsed.config.loss.margin;
    c.negatives.strategy = *negativeStrategyFromName(negatives.toStdString());
    c.negatives.count = parsed.config.negatives.count;
    c.negatives.seed = parsed.config.negatives.seed;
    QVERIFY(parsed.config == c);
    TrainingRun run(ellipseSamples(DatasetSpec{}), c);
    run.run(12);
    QVERIFY(parseTrace(lines) == run.trace()); // bit-identical through the 17-digit text
    // And the text is formatNumber's.
    const TracePoint &last = run.trace().back();
    QCOMPARE(lines.last(),
             "12," + formatNumber(last.w.w1) + ',' + formatNumber(last.w.w2) + ',' + formatNumber(last.loss));
}

void TestTrainCommand::dataFileEqualsGeneratedData()
{
    DatasetSpec spec;
    spec.seed = 5;
    spec.count = 30;
    QVERIFY(writeDataCsv(path("data.csv"), ellipseSamples(spec)).isEmpty());
    const QString common = QStringLiteral("--loss hinge --beta 2 --init 1.5,0.5 --lr 0.1 --epochs 8 --out ");
    QCOMPARE(train(common + path("a.csv") + " --data " + path("data.csv")), 0);
    QCOMPARE(train(common + path("b.csv") + " --seed 5 --n 30"), 0);
    QCOMPARE(ebmtest::csvLines(path("a.csv")), ebmtest::csvLines(path("b.csv")));
    QCOMPARE(ebmtest::csvLines(path("a.csv")).size(), 10);
}

void TestTrainCommand::divergenceWritesTheFinitePartAndExitsOne()
{
    std::string err;
    QCOMPARE(
        train("--loss energy --beta inf --init 1,1 --lr 1000 --epochs 50 --seed 0 --out " + path("trace.csv"), &err),
        1);
    QVERIFY(QString::fromStdString(err).startsWith("ebmlab train: diverged at epoch"));
    QCOMPARE(std::count(err.begin(), err.end(), '\n'), 1);
    const QList<QByteArray> lines = ebmtest::csvLines(path("trace.csv"));
    QVERIFY(lines.size() >= 2 && lines.size() < 52);
    for (const TracePoint &row : parseTrace(lines))
        QVERIFY(std::isfinite(row.loss) && std::abs(row.w.w1) <= 1e6 && std::abs(row.w.w2) <= 1e6);
}

void TestTrainCommand::badInputThrowsAndWritesNothing_data()
{
    QTest::addColumn<QString>("options"); // %O: the output file, %D: the data directory
    QTest::addColumn<QString>("messagePart");
    const QString base = "--loss energy --beta 1 --init 1,1 --lr 0.1 --epochs 5 --seed 0 --out %O";
    QTest::newRow("unknown option") << base + " --bogus 1"
                                    << "unknown option --bogus";
    QTest::newRow("positional") << base + " extra"
                                << "unexpected argument";
    QTest::newRow("missing loss") << "--beta 1 --init 1,1 --lr 0.1 --epochs 5 --seed 0 --out %O"
                                  << "--loss";
    QTest::newRow("unknown loss") << QString(base).replace("energy", "l2") << "--loss must be";
    QTest::newRow("beta zero") << QString(base).replace("--beta 1", "--beta 0") << "--beta must be positive";
    QTest::newRow("beta negative") << QString(base).replace("--beta 1", "--beta -2") << "--beta must be positive";
    QTest::newRow("beta malformed") << QString(base).replace("--beta 1", "--beta 1x") << "--beta expects a number";
    QTest::newRow("beta nan") << QString(base).replace("--beta 1", "--beta nan") << "--beta expects a number";
    QTest::newRow("init one number") << QString(base).replace("--init 1,1", "--init 1") << "--init expects 2";
    QTest::newRow("init malformed") << QString(base).replace("--init 1,1", "--init 1,a") << "--init expects a number";
    QTest::newRow("init huge") << QString(base).replace("--init 1,1", "--init 1e7,1") << "+-1e6";
    QTest::newRow("lr zero") << QString(base).replace("--lr 0.1", "--lr 0") << "--lr must be positive";
    QTest::newRow("lr negative") << QString(base).replace("--lr 0.1", "--lr -0.1") << "--lr must be positive";
    QTest::newRow("lr inf") << QString(base).replace("--lr 0.1", "--lr inf") << "--lr must be finite";
    QTest::newRow("epochs negative") << QString(base).replace("--epochs 5", "--epochs -1") << "--epochs must be";
    QTest::newRow("epochs absurd") << QString(base).replace("--epochs 5", "--epochs 2000000") << "--epochs must be";
    QTest::newRow("epochs fractional") << QString(base).replace("--epochs 5", "--epochs 2.5") << "whole number";
    QTest::newRow("latents zero") << base + " --latents 0"
                                  << "--latents must be";
    QTest::newRow("latents word") << base + " --latents many"
                                  << "--latents expects";
    QTest::newRow("margin negative") << base + " --margin -1"
                                     << "--margin must be non-negative";
    QTest::newRow("negatives unknown") << base + " --negatives random"
                                       << "--negatives must be";
    QTest::newRow("neg-count zero") << base + " --neg-count 0"
                                    << "--neg-count must be";
    QTest::newRow("neg-seed negative") << base + " --neg-seed -1"
                                       << "--neg-seed expects";
    QTest::newRow("n zero") << base + " --n 0"
                            << "--n must be";
    QTest::newRow("given twice") << base + " --lr 0.2"
                                 << "given twice";
    QTest::newRow("data and seed") << base + " --data %D/data.csv"
                                   << "not both";
    QTest::newRow("neither data nor seed") << QString(base).replace("--seed 0 ", "") << "--data FILE or --seed";
    const QString withData = QString(base).replace("--seed 0", "--data %D/FILE");
    QTest::newRow("n with data") << QString(withData).replace("FILE", "data.csv") + " --n 5"
                                 << "--n goes with --seed";
    QTest::newRow("data missing") << QString(withData).replace("FILE", "missing.csv") << "cannot read";
    QTest::newRow("data malformed") << QString(withData).replace("FILE", "bad.csv") << "line 3";
    QTest::newRow("data header only") << QString(withData).replace("FILE", "empty.csv") << "no data points";
    QTest::newRow("data huge") << QString(withData).replace("FILE", "huge.csv") << "+-1e6";
    QTest::newRow("out in a missing directory")
        << QString(base).replace("%O", "%D/nowhere/trace.csv") << "does not exist";
    QTest::newRow("out is a directory") << QString(base).replace("%O", "%D") << "is a directory";
    QTest::newRow("out missing") << QString(base).replace("--out %O", "") << "--out is required";
}

void TestTrainCommand::badInputThrowsAndWritesNothing()
{
    QFETCH(QString, options);
    QFETCH(QString, messagePart);
    auto write = [&](const QString &name, const QByteArray &text) {
        QFile f(path(name));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(text);
    };
    write("data.csv", "y1,y2\n1,0\n0,1\n");
    write("bad.csv", "y1,y2\n1,0\n1;2\n");
    write("empty.csv", "y1,y2\n# nothing\n");
    write("huge.csv", "y1,y2\n1e7,0\n");
    options.replace("%O", path("trace.csv")).replace("%D", m_dir.path());
    std::ostringstream out, err;
    try {
        cli::runTrain(ebmtest::splitArgs(options), out, err);
        QFAIL("no CliError");
    } catch (const CliError &e) {
        QVERIFY2(QString::fromUtf8(e.what()).contains(messagePart), e.what());
        QVERIFY(!QString::fromUtf8(e.what()).contains('\n')); // one line
    }
    QVERIFY(!QFile::exists(path("trace.csv")));
    QVERIFY(out.str().empty() && err.str().empty());
}

void TestTrainCommand::usageNamesEveryOption()
{
    const QString usage = QString::fromStdString(cli::trainUsage());
    QVERIFY(usage.startsWith("ebmlab train"));
    for (const char *option :
         {"--loss", "--beta", "--init", "--lr", "--epochs", "--margin", "--negatives", "--neg-count", "--neg-seed",
          "--latents", "--data", "--seed", "--n ", "--out", "square-square", "offending", "epoch,w1,w2,loss"})
        QVERIFY2(usage.contains(QLatin1String(option)), option);
    for (const QString &line : usage.split('\n'))
        QVERIFY2(line.size() <= 120, qPrintable(line));
}

QTEST_GUILESS_MAIN(TestTrainCommand)
#include "tst_traincommand.moc"

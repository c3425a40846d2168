// The command-line contract: option parsing, CSV formats, and the error path (exit 2, one line, no file).
#include "cliargs.h"
#include "commands.h"
#include "fuzzycompare.h"
#include "math/dataset.h"
#include "math/field.h"
#include "testhelpers.h"

#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace ebm;

namespace {

struct Run
{
    int exitCode = -1;
    QByteArray out, err;
};

Run runEbmlab(const QStringList &args)
{
    QProcess process;
    process.start(qEnvironmentVariable("EBMLAB_BINARY"), args);
    Run run;
    if (!process.waitForFinished(120000))
        return run;
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    run.out = process.readAllStandardOutput();
    run.err = process.readAllStandardError();
    return run;
}

} // namespace

class TestCli : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void parsesFieldOptions();
    void rejectsBadFieldOptions_data();
    void rejectsBadFieldOptions();
    void numberParsing_data();
    void numberParsing();
    void fieldCsvLayout();
    void dataCsvIsTheGenerator();
    void hornCsv();
    void errorExitsTwoWithoutFile_data();
    void errorExitsTwoWithoutFile();
    void helpDocumentsEveryOption();

private:
    QTemporaryDir m_dir;
};

void TestCli::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QVERIFY2(QFile::exists(qEnvironmentVariable("EBMLAB_BINARY")), "EBMLAB_BINARY must name the built ebmlab");
}

void TestCli::parsesFieldOptions()
{
    const cli::FieldArgs a = cli::parseFieldArgs(ebmtest::splitArgs(
        "--field posterior --beta 2.5 --w -1,0 --latents 7 --range -1,2,-3,4 --grid 5x6 --z 1.2 --out f.csv"));
    QCOMPARE(a.request.kind, FieldKind::Posterior);
    QCOMPARE(a.request.beta, 2.5);
    QCOMPARE(a.w.w1, -1.0);
    QCOMPARE(a.w.w2, 0.0);
    QCOMPARE(a.latents.count(), 7);
    QCOMPARE(a.grid.x0, -1.0);
    QCOMPARE(a.grid.x1, 2.0);
    QCOMPARE(a.grid.y0, -3.0);
    QCOMPARE(a.grid.y1, 4.0);
    QCOMPARE(a.grid.nx, 5);
    QCOMPARE(a.grid.ny, 6);
    QCOMPARE(a.request.z, 1.2);
    QCOMPARE(a.out, std::string("f.csv"));

    const cli::FieldArgs b = cli::parseFieldArgs(ebmtest::splitArgs("--beta inf --latents continuous --out=-"));
    QVERIFY(std::isinf(b.request.beta));
    QVERIFY(b.latents.isContinuous());
    QCOMPARE(b.out, std::string("-"));
}

void TestCli::rejectsBadFieldOptions_data()
{
    QTest::addColumn<QString>("args");
    QTest::addColumn<QString>("messagePart");
    QTest::newRow("unknown option") << "--colour red --out f.csv"
                                    << "unknown option --colour";
    QTest::newRow("missing value") << "--out f.csv --beta"
                                   << "--beta needs a value";
    QTest::newRow("twice") << "--beta 1 --beta 2 --out f.csv"
                           << "twice";
    QTest::newRow("beta not a number") << "--beta abc --out f.csv"
                                       << "--beta expects a number";
    QTest::newRow("beta zero") << "--beta 0 --out f.csv"
                               << "--beta must be positive";
    QTest::newRow("beta negative") << "--beta -1 --out f.csv"
                                   << "--beta must be positive";
    QTest::newRow("beta nan") << "--beta nan --out f.csv"
                              << "--beta expects a number";
    QTest::newRow("latents zero") << "--latents 0 --out f.csv"
                                  << "--latents must be between 1";
    QTest::newRow("latents fraction") << "--latents 4.5 --out f.csv"
                                      << "--latents expects a whole number";
    QTest::newRow("w one number") << "--w 2 --out f.csv"
                                  << "--w expects 2";
    QTest::newRow("w absurd") << "--w 1e300,1 --out f.csv"
                              << "--w must lie within";
    QTest::newRow("empty range") << "--range 1,1,0,1 --out f.csv"
                                 << "range is empty";
    QTest::newRow("reversed range") << "--range 0,1,2,-2 --out f.csv"
                                    << "range is empty";
    QTest::newRow("grid malformed") << "--grid 10 --out f.csv"
                                    << "--grid expects NXxNY";
    QTest::newRow("grid too small") << "--grid 1x5 --out f.csv"
                                    << "--grid must be between 2";
    QTest::newRow("unknown field") << "--field G --out f.csv"
                                   << "--field must be F, Finf, E or posterior";
    QTest::newRow("dirac posterior") << "--field posterior --beta inf --latents continuous --out f.csv"
                                     << "Dirac";
    QTest::newRow("no out") << "--beta 1"
                            << "--out is required";
    QTest::newRow("stray word") << "field --out f.csv"
                                << "unexpected argument";
}

void TestCli::rejectsBadFieldOptions()
{
    QFETCH(QString, args);
    QFETCH(QString, messagePart);
    try {
        cli::parseFieldArgs(ebmtest::splitArgs(args));
        QFAIL("accepted bad options");
    } catch (const cli::CliError &e) {
        QVERIFY2(QString::fromStdString(e.what()).contains(messagePart), e.what());
    }
}

void TestCli::numberParsing_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("allowInf");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<double>("value");
    QTest::newRow("integer") << "3" << false << true << 3.0;
    QTest::newRow("plus sign") << "+0.5" << false << true << 0.5;
    QTest::newRow("exponent") << "-1.25e-3" << false << true << -1.25e-3;
    QTest::newRow("inf allowed") << "inf" << true << true << double(INFINITY);
    QTest::newRow("Infinity allowed") << "Infinity" << true << true << double(INFINITY);
    QTest::newRow("inf refused") << "inf" << false << false << 0.0;
    QTest::newRow("trailing junk") << "1.5x" << false << false << 0.0;
    QTest::newRow("empty") << "" << false << false << 0.0;
    QTest::newRow("space") << " 1" << false << false << 0.0;
    QTest::newRow("overflow") << "1e999" << false << false << 0.0;
    QTest::newRow("comma") << "1,5" << false << false << 0.0;
}

void TestCli::numberParsing()
{
    QFETCH(QString, text);
    QFETCH(bool, allowInf);
    QFETCH(bool, valid);
    QFETCH(double, value);
    try {
        const double parsed = cli::parseNumber("x", text.toStdString(), allowInf);
        QVERIFY2(valid, "accepted an invalid number");
        QCOMPARE(parsed, value);
    } catch (const cli::CliError &) {
        QVERIFY2(!valid, "rejected a valid number");
    }
}

void TestCli::fieldCsvLayout()
{
    const QString path = m_dir.filePath(QStringLiteral("field.csv"));
    const Run run = runEbmlab({"field", "--field", "F", "--beta", "0.7", "--w", "2,1.5", "--latents", "12", "--range",
                               "-1,1,0,3", "--grid", "3x4", "--out", path});
    QCOMPARE(run.exitCode, 0);
    QVERIFY(run.err.isEmpty());
    const QList<QByteArray> lines = ebmtest::csvLines(path);
    QCOMPARE(lines.size(), 1 + 3 * 4);
    QCOMPARE(lines.first(), QByteArray("y1,y2,value"));
    const EllipseEbm model({2.0, 1.5}, LatentSpec::sampled(12));
    const double xs[] = {-1.0, 0.0, 1.0}, ys[] = {0.0, 1.0, 2.0, 3.0};
    for (int j = 0; j < 4; ++j) { // y2 outer, y1 inner, both ascending
        for (int i = 0; i < 3; ++i) {
            const QList<QByteArray> cells = lines[1 + j * 3 + i].split(',');
            QCOMPARE(cells.size(), 3);
            QCOMPARE(cells[0].toDouble(), xs[i]);
            QCOMPARE(cells[1].toDouble(), ys[j]);
            // 17 significant digits round-trip the double exactly.
            QCOMPARE(cells[2].toDouble(), model.freeEnergy(Vec2(xs[i], ys[j]), 0.7));
        }
    }
}

void TestCli::dataCsvIsTheGenerator()
{
    const QString path = m_dir.filePath(QStringLiteral("data.csv"));
    const Run run = runEbmlab({"data", "--n", "24", "--x", "0", "--noise", "0.05", "--seed", "7", "--out", path});
    QCOMPARE(run.exitCode, 0);
    const QList<QByteArray> lines = ebmtest::csvLines(path);
    QCOMPARE(lines.size(), 25);
    QCOMPARE(lines.first(), QByteArray("y1,y2"));
    const std::vector<Vec2> expected = ellipseSamples(DatasetSpec{24, 0.0, 0.05, 7});
    for (int i = 0; i < 24; ++i) {
        const QList<QByteArray> cells = lines[i + 1].split(',');
        QCOMPARE(cells[0].toDouble(), expected[static_cast<size_t>(i)].x());
        QCOMPARE(cells[1].toDouble(), expected[static_cast<size_t>(i)].y());
    }
}

void TestCli::hornCsv()
{
    const QString path = m_dir.filePath(QStringLiteral("horn.csv"));
    const Run run = runEbmlab({"data", "--horn", "--n", "3", "--seed", "1", "--out", path});
    QCOMPARE(run.exitCode, 0);
    const QList<QByteArray> lines = ebmtest::csvLines(path);
    QCOMPARE(lines.size(), 1 + 51 * 3);
    QCOMPARE(lines.first(), QByteArray("x,y1,y2"));
    QCOMPARE(lines[1].split(',')[0].toDouble(), 0.0);
    QCOMPARE(lines.last().split(',')[0].toDouble(), 1.0);
}

void TestCli::errorExitsTwoWithoutFile_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::newRow("unknown option") << QStringList{"field", "--colour", "red"};
    QTest::newRow("malformed beta") << QStringList{"field", "--beta", "1.0.0"};
    QTest::newRow("beta zero") << QStringList{"field", "--beta", "0"};
    QTest::newRow("latents zero") << QStringList{"field", "--latents", "0"};
    QTest::newRow("empty range") << QStringList{"field", "--range", "0,0,-1,1"};
    QTest::newRow("data negative n") << QStringList{"data", "--n", "-3"};
    QTest::newRow("data bad seed") << QStringList{"data", "--seed", "-1"};
    QTest::newRow("unknown subcommand") << QStringList{"feild"};
}

void TestCli::errorExitsTwoWithoutFile()
{
    QFETCH(QStringList, args);
    const QString path = m_dir.filePath(QStringLiteral("never.csv"));
    const Run run = runEbmlab(args + QStringList{"--out", path});
    QCOMPARE(run.exitCode, 2);
    QVERIFY(run.out.isEmpty());
    QCOMPARE(run.err.count('\n'), 1); // exactly one line
    QVERIFY2(run.err.startsWith("ebmlab "), run.err.constData());
    QVERIFY(!QFile::exists(path));

    // An unwritable destination is the same kind of error.
    const Run unwritable = runEbmlab({"field", "--grid", "3x3", "--out", "/nonexistent-dir/f.csv"});
    QCOMPARE(unwritable.exitCode, 2);
    QVERIFY(unwritable.err.contains("does not exist"));
}

void TestCli::helpDocumentsEveryOption()
{
    const Run run = runEbmlab({"--help"});
    QCOMPARE(run.exitCode, 0);
    for (const char *option : {"--n", "--x", "--noise", "--seed", "--out", "--horn", "--field", "--beta", "--w",
                               "--latents", "--range", "--grid", "--z"})
        QVERIFY2(run.out.contains(option), option);
    QCOMPARE(runEbmlab({"field", "--help"}).exitCode, 0);
}

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"

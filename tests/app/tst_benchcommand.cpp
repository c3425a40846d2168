// `ebmlab bench`: option parsing, the error path, and the one-line result format.
#include "benchcommand.h"
#include "cliargs.h"
#include "testhelpers.h"

#include <QRegularExpression>
#include <QTest>

#include <sstream>

using namespace ebm;
using namespace ebm::cli;

class TestBenchCommand : public QObject
{
    Q_OBJECT

private slots:
    void defaults();
    void everyOption();
    void badInput_data();
    void badInput();
    void lineFormat();
    void runPrintsOneLine_data();
    void runPrintsOneLine();
};

void TestBenchCommand::defaults()
{
    const BenchArgs a = parseBenchArgs({});
    QCOMPARE(a.kind, FieldKind::FreeEnergy);
    QCOMPARE(a.grid.nx, 512);
    QCOMPARE(a.grid.ny, 512);
    QCOMPARE(a.grid.x0, -3.0);
    QCOMPARE(a.grid.x1, 3.0);
    QCOMPARE(a.grid.y0, -3.0);
    QCOMPARE(a.grid.y1, 3.0);
    QCOMPARE(a.latents.count(), 48);
    QCOMPARE(a.beta, 1.0);
    QCOMPARE(a.path, BenchPath::Fast);
    QCOMPARE(a.threads, 1);
    QCOMPARE(a.reps, 5);
}

void TestBenchCommand::everyOption()
{
    BenchArgs a = parseBenchArgs(
        ebmtest::splitArgs("--field Finf --grid 300x200 --latents 1024 --beta 1e-3 --path fast --threads 0 --reps 9"));
    QCOMPARE(a.kind, FieldKind::ZeroTemperature);
    QCOMPARE(a.grid.nx, 300);
    QCOMPARE(a.grid.ny, 200);
    QCOMPARE(a.latents.count(), 1024);
    QCOMPARE(a.beta, 1e-3);
    QCOMPARE(a.threads, 0);
    QCOMPARE(a.reps, 9);
    a = parseBenchArgs(ebmtest::splitArgs("--latents continuous --beta inf --path=direct"));
    QVERIFY(a.latents.isContinuous());
    QVERIFY(std::isinf(a.beta));
    QCOMPARE(a.path, BenchPath::Direct);
}

void TestBenchCommand::badInput_data()
{
    QTest::addColumn<QString>("args");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("unknown option") << "--fast"
                                    << "--fast";
    QTest::newRow("field E") << "--field E"
                             << "--field";
    QTest::newRow("field missing value") << "--field"
                                         << "--field";
    QTest::newRow("grid malformed") << "--grid 512"
                                    << "--grid";
    QTest::newRow("grid too small") << "--grid 1x5"
                                    << "--grid";
    QTest::newRow("grid too large") << "--grid 9000x10"
                                    << "--grid";
    QTest::newRow("latents zero") << "--latents 0"
                                  << "--latents";
    QTest::newRow("latents word") << "--latents many"
                                  << "--latents";
    QTest::newRow("beta zero") << "--beta 0"
                               << "--beta";
    QTest::newRow("beta negative") << "--beta -1"
                                   << "--beta";
    QTest::newRow("beta nan") << "--beta nan"
                              << "--beta";
    QTest::newRow("path unknown") << "--path gpu"
                                  << "--path";
    QTest::newRow("threads negative") << "--threads -1"
                                      << "--threads";
    QTest::newRow("direct with threads") << "--path direct --threads 2"
                                         << "--threads";
    QTest::newRow("reps zero") << "--reps 0"
                               << "--reps";
    QTest::newRow("reps fraction") << "--reps 2.5"
                                   << "--reps";
    QTest::newRow("given twice") << "--reps 2 --reps 3"
                                 << "--reps";
}

void TestBenchCommand::badInput()
{
    QFETCH(QString, args);
    QFETCH(QString, mentions);
    try {
        parseBenchArgs(ebmtest::splitArgs(args));
        QFAIL("no CliError");
    } catch (const CliError &e) {
        QVERIFY2(QString::fromUtf8(e.what()).contains(mentions), e.what());
    }
    // runBench leaves the error to its caller, before computing anything.
    std::ostringstream out, err;
    QVERIFY_THROWS_EXCEPTION(CliError, runBench(ebmtest::splitArgs(args), out, err));
    QVERIFY(out.str().empty());
}

void TestBenchCommand::lineFormat()
{
    const BenchArgs a = parseBenchArgs(ebmtest::splitArgs("--grid 512x256 --beta 0.5"));
    // 512 * 256 * 48 evals in 2.5 ms: 2.5166e9 per second.
    QCOMPARE(benchLine(a, 2, 2.5), std::string("bench field=F grid=512x256 latents=48 beta=0.5 path=fast threads=2 "
                                               "median_ms=2.500 evals_per_s=2.517e+09"));
    const BenchArgs c =
        parseBenchArgs(ebmtest::splitArgs("--field Finf --latents continuous --beta inf --path direct"));
    QCOMPARE(evalsPerField(c), 512.0 * 512.0);
    QCOMPARE(benchLine(c, 1, 100.0), std::string("bench field=Finf grid=512x512 latents=continuous beta=inf "
                                                 "path=direct threads=1 median_ms=100.000 evals_per_s=2.621e+06"));
}

void TestBenchCommand::runPrintsOneLine_data()
{
    QTest::addColumn<QString>("args");
    QTest::addColumn<QString>("expectedPrefix");
    QTest::newRow("fast F") << "--grid 40x30 --latents 7 --beta 2 --threads 2 --reps 3"
                            << "bench field=F grid=40x30 latents=7 beta=2 path=fast threads=2 ";
    QTest::newRow("direct Finf") << "--field Finf --grid 20x10 --latents 5 --path direct --reps 1"
                                 << "bench field=Finf grid=20x10 latents=5 beta=1 path=direct threads=1 ";
    QTest::newRow("fast continuous") << "--field Finf --grid 16x16 --latents continuous --reps 2"
                                     << "bench field=Finf grid=16x16 latents=continuous beta=1 path=fast threads=1 ";
}

void TestBenchCommand::runPrintsOneLine()
{
    QFETCH(QString, args);
    QFETCH(QString, expectedPrefix);
    std::ostringstream out, err;
    QCOMPARE(runBench(ebmtest::splitArgs(args), out, err), 0);
    QVERIFY(err.str().empty());
    const QString text = QString::fromStdString(out.str());
    QCOMPARE(text.count(QLatin1Char('\n')), 1);
    QVERIFY2(text.startsWith(expectedPrefix), qPrintable(text));
    static const QRegularExpression timing(QStringLiteral(" median_ms=(\\d+\\.\\d{3}) evals_per_s=(\\S+)\\n$"));
    const QRegularExpressionMatch m = timing.match(text);
    QVERIFY2(m.hasMatch(), qPrintable(text));
    // evals_per_s is the evals of one field over the median time (both printed rounded).
    const BenchArgs a = parseBenchArgs(ebmtest::splitArgs(args));
    const double ms = m.captured(1).toDouble(), perSecond = m.captured(2).toDouble();
    QVERIFY(perSecond > 0.0);
    if (ms >= 0.1)
        QVERIFY2(std::abs(perSecond * ms * 1e-3 / evalsPerField(a) - 1.0) < 0.01, qPrintable(text));
}

QTEST_APPLESS_MAIN(TestBenchCommand)
#include "tst_benchcommand.moc"

// `--model ellipse|kmeans|sparse` on `ebmlab field` and `ebmlab train`: the ellipse's output unchanged byte for
// byte, the family's fields and traces equal to the core's numbers, and the error contract (exit 2, one line, no
// file).
#include "commands.h"
#include "familycommand.h"
#include "testhelpers.h"

#include "io/csvio.h"
#include "math/kmeansmodel.h"
#include "math/sparsecodingmodel.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <sstream>

using namespace ebm;

namespace {

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

//! \brief the numbers of every data row (the header skipped)
std::vector<std::vector<double>> rows(const QString &path)
{
    std::vector<std::vector<double>> out;
    const QList<QByteArray> lines = ebmtest::csvLines(path);
    for (qsizetype i = 1; i < lines.size(); ++i) {
        std::vector<double> row;
        for (const QByteArray &cell : lines[i].split(','))
            row.push_back(cell.toDouble());
        out.push_back(row);
    }
    return out;
}

} // namespace

class TestFamilyCommand : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void ellipseIsUnchangedByteForByte_data();
    void ellipseIsUnchangedByteForByte();
    void kmeansFieldIsTheCoreField_data();
    void kmeansFieldIsTheCoreField();
    void kmeansTraceIsTheLloydSequence();
    void sparseTraceStartsAtTheSeededDictionaryAndLearns();
    void sparseFieldIsTheCoreField();
    void dataFileEqualsGeneratedData();
    void badInputExitsTwoAndWritesNothing_data();
    void badInputExitsTwoAndWritesNothing();
    void usageNamesEveryOption();

private:
    int run(const QString &line, std::string *errText = nullptr) const;
    QString path(const QString &name) const { return m_dir.filePath(name); }
    QTemporaryDir m_dir;
};

int TestFamilyCommand::run(const QString &line, std::string *errText) const
{
    std::ostringstream out, err;
    QString expanded = line;
    expanded.replace("%D", m_dir.path());
    const int code = cli::runHeadless(ebmtest::splitArgs(expanded), out, err);
    if (errText)
        *errText = err.str();
    return code;
}

void TestFamilyCommand::init()
{
    QVERIFY(m_dir.isValid());
    for (const char *name : {"a.csv", "b.csv", "out.csv", "data.csv"})
        QFile::remove(path(name));
}

void TestFamilyCommand::ellipseIsUnchangedByteForByte_data()
{
    QTest::addColumn<QString>("options");
    QTest::newRow("field") << "field --field F --beta 2 --grid 17x9";
    QTest::newRow("field continuous") << "field --field Finf --latents continuous --grid 9x9";
    QTest::newRow("train") << "train --loss hinge --beta 1 --init 1,1 --lr 0.1 --epochs 4 --seed 3";
}

void TestFamilyCommand::ellipseIsUnchangedByteForByte()
{
    QFETCH(QString, options);
    QCOMPARE(run(options + " --out %D/a.csv"), 0);
    QCOMPARE(run(options + " --model ellipse --out %D/b.csv"), 0);
    QCOMPARE(run(options.section(' ', 0, 0) + " --model=ellipse " + options.section(' ', 1) + " --out %D/out.csv"), 0);
    const QByteArray a = readAll(path("a.csv"));
    QVERIFY(a.size() > 50);
    QCOMPARE(readAll(path("b.csv")), a);
    QCOMPARE(readAll(path("out.csv")), a);
}

void TestFamilyCommand::kmeansFieldIsTheCoreField_data()
{
    QTest::addColumn<QString>("options");
    QTest::addColumn<int>("kind");
    QTest::addColumn<double>("beta");
    QTest::addColumn<double>("z");
    QTest::newRow("F default") << "" << static_cast<int>(FieldKind::FreeEnergy) << 1.0 << 0.0;
    QTest::newRow("Finf") << "--field Finf" << static_cast<int>(FieldKind::ZeroTemperature) << 1.0 << 0.0;
    QTest::newRow("F warm") << "--field F --beta 4" << static_cast<int>(FieldKind::FreeEnergy) << 4.0 << 0.0;
    QTest::newRow("E k=2") << "--field E --z 2" << static_cast<int>(FieldKind::Energy) << 1.0 << 2.0;
    QTest::newRow("posterior k=5") << "--field posterior --z 5 --beta 3" << static_cast<int>(FieldKind::Posterior)
                                   << 3.0 << 5.0;
}

void TestFamilyCommand::kmeansFieldIsTheCoreField()
{
    QFETCH(QString, options);
    QFETCH(int, kind);
    QFETCH(double, beta);
    QFETCH(double, z);
    QCOMPARE(run("field --model kmeans --k 7 --init-seed 4 --steps 3 --seed 2 --n 40 --grid 13x11 " + options +
                 " --out %D/out.csv"),
             0);
    const std::vector<Vec2> data = familyData(2, 40);
    KMeans kmeans = KMeans::fromData(data, 7, 4);
    for (int s = 0; s < 3; ++s)
        kmeans.lloydStep(data);
    const KMeansModel model(kmeans);
    const Grid grid{-3.0, 3.0, -3.0, 3.0, 13, 11};
    const Eigen::MatrixXd expected = *evaluateModelField(model, {static_cast<FieldKind>(kind), beta, z}, grid, 1);
    const auto got = rows(path("out.csv"));
    QCOMPARE(static_cast<int>(got.size()), 13 * 11);
    for (int j = 0; j < grid.ny; ++j) {
        for (int i = 0; i < grid.nx; ++i) {
            const std::vector<double> &row = got[static_cast<size_t>(j * grid.nx + i)];
            QCOMPARE(row[0], grid.y1At(i));
            QCOMPARE(row[1], grid.y2At(j));
            QCOMPARE(row[2], expected(j, i)); // 17 digits round-trip the double
        }
    }
}

void TestFamilyCommand::kmeansTraceIsTheLloydSequence()
{
    QCOMPARE(run("train --model kmeans --k 4 --init-seed 9 --steps 6 --seed 1 --out %D/out.csv"), 0);
    const QList<QByteArray> lines = ebmtest::csvLines(path("out.csv"));
    QCOMPARE(lines.front(), QByteArray("epoch,loss,w0_1,w0_2,w1_1,w1_2,w2_1,w2_2,w3_1,w3_2"));
    const auto got = rows(path("out.csv"));
    QCOMPARE(static_cast<int>(got.size()), 7);
    const std::vector<Vec2> data = familyData(1);
    KMeans kmeans = KMeans::fromData(data, 4, 9);
    for (int epoch = 0; epoch <= 6; ++epoch) {
        if (epoch > 0)
            kmeans.lloydStep(data);
        const std::vector<double> &row = got[static_cast<size_t>(epoch)];
        QCOMPARE(row[0], static_cast<double>(epoch));
        QCOMPARE(row[1], kmeans.loss(data));
        for (int k = 0; k < 4; ++k) {
            QCOMPARE(row[static_cast<size_t>(2 + 2 * k)], kmeans.centroids()(0, k));
            QCOMPARE(row[static_cast<size_t>(3 + 2 * k)], kmeans.centroids()(1, k));
        }
        if (epoch > 0)
            QVERIFY(row[1] <= got[static_cast<size_t>(epoch - 1)][1]);
    }
}

void TestFamilyCommand::sparseTraceStartsAtTheSeededDictionaryAndLearns()
{
    QCOMPARE(run("train --model sparse --atoms 5 --alpha 0.2 --lr 0.05 --init-seed 3 --steps 20 --out %D/out.csv"), 0);
    const QList<QByteArray> lines = ebmtest::csvLines(path("out.csv"));
    QVERIFY(lines.front().startsWith("epoch,loss,w0_0,w0_1,w0_2,w1_0,"));
    QVERIFY(lines.front().endsWith(",w4_0,w4_1,w4_2"));
    const auto got = rows(path("out.csv"));
    QCOMPARE(static_cast<int>(got.size()), 21);
    SparseCoding coding = SparseCoding::random(5, 0.2, 3);
    const std::vector<Vec2> data = familyData(0);
    for (int epoch = 0; epoch <= 20; ++epoch) {
        if (epoch > 0)
            coding.trainStep(data, 0.05);
        const std::vector<double> &row = got[static_cast<size_t>(epoch)];
        QCOMPARE(row[1], coding.loss(data));
        for (int j = 0; j < 5; ++j) {
            double norm = 0.0;
            for (int r = 0; r < 3; ++r) {
                QCOMPARE(row[static_cast<size_t>(2 + 3 * j + r)], coding.dictionary()(r, j));
                norm += row[static_cast<size_t>(2 + 3 * j + r)] * row[static_cast<size_t>(2 + 3 * j + r)];
            }
            QVERIFY(std::abs(norm - 1.0) < 1e-14);
        }
    }
    QVERIFY(got.back()[1] < got.front()[1]);
}

void TestFamilyCommand::sparseFieldIsTheCoreField()
{
    QCOMPARE(run("field --model sparse --atoms 4 --steps 2 --grid 6x5 --out %D/out.csv"), 0);
    SparseCoding coding = SparseCoding::random(4, 0.1, 0);
    const std::vector<Vec2> data = familyData(0);
    coding.trainStep(data, 0.1);
    coding.trainStep(data, 0.1);
    const auto got = rows(path("out.csv"));
    QCOMPARE(static_cast<int>(got.size()), 30);
    for (const std::vector<double> &row : got)
        QCOMPARE(row[2], coding.zeroTemperature({row[0], row[1]}));
}

void TestFamilyCommand::dataFileEqualsGeneratedData()
{
    QCOMPARE(writeDataCsv(path("data.csv"), familyData(6, 30)), QString());
    QCOMPARE(run("train --model kmeans --steps 3 --k 5 --data %D/data.csv --out %D/a.csv"), 0);
    QCOMPARE(run("train --model kmeans --steps 3 --k 5 --seed 6 --n 30 --out %D/b.csv"), 0);
    QCOMPARE(readAll(path("a.csv")), readAll(path("b.csv")));
}

void TestFamilyCommand::badInputExitsTwoAndWritesNothing_data()
{
    QTest::addColumn<QString>("options");
    QTest::addColumn<QString>("messagePart");
    QTest::newRow("unknown model") << "field --model gmm"
                                   << "--model must be ellipse, kmeans or sparse";
    QTest::newRow("model without value") << "field --out %D/out.csv --model"
                                         << "--model needs a value";
    QTest::newRow("model twice") << "field --model kmeans --model sparse"
                                 << "--model is given twice";
    QTest::newRow("ellipse option on kmeans") << "field --model kmeans --w 1,1"
                                              << "unknown option --w";
    QTest::newRow("sparse option on kmeans") << "train --model kmeans --steps 2 --alpha 1"
                                             << "unknown option --alpha";
    QTest::newRow("kmeans option on sparse") << "train --model sparse --steps 2 --k 3"
                                             << "unknown option --k";
    QTest::newRow("k zero") << "field --model kmeans --k 0"
                            << "--k must be";
    QTest::newRow("k above data") << "field --model kmeans --k 11 --n 10"
                                  << "exceeds the 10 data points";
    QTest::newRow("cluster index") << "field --model kmeans --field E --z 1.5"
                                   << "cluster index";
    QTest::newRow("beta zero") << "field --model kmeans --beta 0"
                               << "--beta must be positive";
    QTest::newRow("sparse F_beta") << "field --model sparse --field F --beta 2"
                                   << "only the Finf field";
    QTest::newRow("sparse posterior") << "field --model sparse --field posterior"
                                      << "only the Finf field";
    QTest::newRow("atoms zero") << "field --model sparse --atoms 0"
                                << "--atoms must be";
    QTest::newRow("atoms too many") << "field --model sparse --atoms 65"
                                    << "--atoms must be";
    QTest::newRow("alpha negative") << "field --model sparse --alpha -1"
                                    << "--alpha must be non-negative";
    QTest::newRow("lr zero") << "train --model sparse --steps 2 --lr 0"
                             << "--lr must be positive";
    QTest::newRow("steps missing") << "train --model kmeans"
                                   << "--steps";
    QTest::newRow("steps negative") << "train --model sparse --steps -1"
                                    << "--steps must be";
    QTest::newRow("data and seed") << "train --model kmeans --steps 1 --data %D/none.csv --seed 1"
                                   << "either --data or --seed";
    QTest::newRow("data missing") << "train --model kmeans --steps 1 --data %D/none.csv"
                                  << "--data";
    QTest::newRow("grid") << "field --model kmeans --grid 1x5"
                          << "--grid";
    QTest::newRow("unwritable") << "field --model kmeans --out %D/no/such/dir/out.csv"
                                << "";
}

void TestFamilyCommand::badInputExitsTwoAndWritesNothing()
{
    QFETCH(QString, options);
    QFETCH(QString, messagePart);
    const QString line = options.contains("--out") ? options : options + " --out %D/out.csv";
    std::string err;
    QCOMPARE(run(line, &err), 2);
    QCOMPARE(std::count(err.begin(), err.end(), '\n'), 1L);
    QVERIFY2(QString::fromStdString(err).contains(messagePart), err.c_str());
    QVERIFY(!QFile::exists(path("out.csv")));
}

void TestFamilyCommand::usageNamesEveryOption()
{
    const QString usage = QString::fromStdString(cli::usageText());
    for (const char *option : {"--model ellipse|kmeans|sparse", "--k K", "--init-seed S", "--atoms D", "--alpha A",
                               "--steps S", "epoch,loss", "w<j>_0"})
        QVERIFY2(usage.contains(option), option);
}

QTEST_MAIN(TestFamilyCommand)
#include "tst_familycommand.moc"

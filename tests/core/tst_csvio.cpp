// CSV reading validates every line; writing is atomic and round-trips doubles exactly.
#include "io/csvio.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace ebm;

class TestCsvIo : public QObject
{
    Q_OBJECT

private slots:
    void parsesValidData_data();
    void parsesValidData();
    void rejectsMalformedData_data();
    void rejectsMalformedData();
    void numbersRoundTrip_data();
    void numbersRoundTrip();
    void writesFieldInContractOrder();
    void failedWriteLeavesOldFileUntouched();
    void missingFileIsAnError();
    void endlessDeviceIsRejected();
};

void TestCsvIo::parsesValidData_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<int>("count");
    QTest::newRow("plain") << QByteArray("y1,y2\n1,2\n3,4\n") << 2;
    QTest::newRow("no final newline") << QByteArray("y1,y2\n1,2\n3,4") << 2;
    QTest::newRow("crlf and spaces") << QByteArray("y1, y2\r\n 1 , 2\r\n") << 1;
    QTest::newRow("comments and blanks") << QByteArray("# from the lecture\ny1,y2\n\n-1e-3,2.5E2\n") << 1;
    QTest::newRow("header only") << QByteArray("y1,y2\n") << 0;
    QTest::newRow("at the bound") << QByteArray("y1,y2\n1e6,-1e6\n") << 1;
}

void TestCsvIo::parsesValidData()
{
    QFETCH(QByteArray, text);
    QFETCH(int, count);
    const DataCsv csv = parseDataCsv(text);
    QVERIFY2(csv.error.isEmpty(), qPrintable(csv.error));
    QCOMPARE(int(csv.points.size()), count);
}

void TestCsvIo::rejectsMalformedData_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("messagePart");
    QTest::newRow("empty") << QByteArray("") << "empty";
    QTest::newRow("no header") << QByteArray("1,2\n") << "line 1: expected the header";
    QTest::newRow("one column") << QByteArray("y1,y2\n1\n") << "line 2: expected two numbers";
    QTest::newRow("text") << QByteArray("y1,y2\n1,2\nfoo,bar\n") << "line 3";
    QTest::newRow("nan") << QByteArray("y1,y2\nnan,1\n") << "line 2";
    QTest::newRow("inf") << QByteArray("y1,y2\n1,inf\n") << "line 2";
    QTest::newRow("far away") << QByteArray("y1,y2\n0,0\n1e300,-1e300\n") << "line 3: the coordinates must lie within";
    QTest::newRow("just beyond") << QByteArray("y1,y2\n-1000000.5,0\n") << "line 2";
    QTest::newRow("binary") << QByteArray("y1,y2\n\x01\x02,\xff\n", 10) << "line 2";
}

void TestCsvIo::rejectsMalformedData()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, messagePart);
    const DataCsv csv = parseDataCsv(text);
    QVERIFY2(csv.error.contains(messagePart), qPrintable(csv.error));
    QVERIFY(csv.points.empty()); // nothing half-read
}

void TestCsvIo::numbersRoundTrip_data()
{
    QTest::addColumn<double>("value");
    QTest::newRow("third") << 1.0 / 3.0;
    QTest::newRow("tiny") << 4.9406564584124654e-324;
    QTest::newRow("huge") << 1.7976931348623157e308;
    QTest::newRow("negative") << -2.718281828459045;
    QTest::newRow("zero") << 0.0;
}

void TestCsvIo::numbersRoundTrip()
{
    QFETCH(double, value);
    const QByteArray text = formatNumber(value);
    QCOMPARE(std::strtod(text.constData(), nullptr), value);
}

void TestCsvIo::writesFieldInContractOrder()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("f.csv"));
    const Grid grid{0.0, 1.0, 10.0, 12.0, 2, 3};
    Eigen::MatrixXd values(3, 2);
    values << 1, 2, 3, 4, 5, 6; // row j = y2 index
    QVERIFY(writeFieldCsv(path, grid, values).isEmpty());
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), QByteArray("y1,y2,value\n0,10,1\n1,10,2\n0,11,3\n1,11,4\n0,12,5\n1,12,6\n"));
}

void TestCsvIo::failedWriteLeavesOldFileUntouched()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("data.csv"));
    QVERIFY(writeDataCsv(path, {Vec2(1, 2)}).isEmpty());
    // Failures that hold even for root: the "directory" is a regular file, the destination is a directory.
    const QString underFile = path + QStringLiteral("/x.csv");
    QVERIFY(writeDataCsv(underFile, {Vec2(3, 4)}).contains(underFile));
    QVERIFY(!writeDataCsv(dir.path(), {Vec2(3, 4)}).isEmpty());
    QVERIFY(!writeDataCsv(dir.filePath(QStringLiteral("missing/x.csv")), {}).isEmpty());
    // The old file is as it was, and no temporary file was left beside it.
    const DataCsv back = readDataCsv(path);
    QCOMPARE(int(back.points.size()), 1);
    QCOMPARE(back.points.front(), Vec2(1, 2));
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).size(), 1);
}

void TestCsvIo::missingFileIsAnError()
{
    const DataCsv csv = readDataCsv(QStringLiteral("/nonexistent/data.csv"));
    QVERIFY(csv.error.contains(QStringLiteral("cannot read")));
    QVERIFY(csv.points.empty());
}

void TestCsvIo::endlessDeviceIsRejected()
{
    // /dev/zero reports size 0 and never ends: the reader must stop at its 64 MiB limit, not run out of memory.
    if (!QFileInfo::exists(QStringLiteral("/dev/zero")))
        QSKIP("no /dev/zero here");
    const DataCsv csv = readDataCsv(QStringLiteral("/dev/zero"));
    QVERIFY(csv.points.empty());
    QVERIFY2(csv.error.contains(QStringLiteral("larger than 64 MiB")), qPrintable(csv.error));
}

QTEST_GUILESS_MAIN(TestCsvIo)
#include "tst_csvio.moc"

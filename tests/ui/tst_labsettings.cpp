// The lab state survives a round trip through QSettings, and a damaged settings file changes nothing.
#include "labsettings.h"

#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

using namespace ebm;

class TestLabSettings : public QObject
{
    Q_OBJECT

private slots:
    void roundTrip();
    void damagedValuesKeepTheDefaults_data();
    void damagedValuesKeepTheDefaults();
};

void TestLabSettings::roundTrip()
{
    QTemporaryDir dir;
    QSettings settings(dir.filePath(QStringLiteral("lab.ini")), QSettings::IniFormat);
    LabState s;
    s.w = {1.25, -0.5};
    s.latentCount = 96;
    s.continuousLatent = true;
    s.beta = 3.5;
    s.zeroTemperature = true;
    s.field = FieldKind::Posterior;
    s.zStar = 2.0;
    s.margin = 0.75;
    s.resolution = 500;
    s.colorMap = ColorMap::Cividis;
    s.dataset = {50, 0.0, 0.1, 123};
    s.observation = {-0.3, 2.1};
    s.sectionY1 = 0.4;
    s.latentsByPosterior = false;
    s.layers.arrows = true;
    s.layers.contours = true;
    s.layers.marginLevel = true;
    saveLabState(settings, s);
    settings.sync();
    QSettings again(dir.filePath(QStringLiteral("lab.ini")), QSettings::IniFormat);
    QVERIFY(loadLabState(again) == s);
}

void TestLabSettings::damagedValuesKeepTheDefaults_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("value");
    QTest::newRow("beta text") << "beta"
                               << "warm";
    QTest::newRow("beta zero") << "beta"
                               << "0";
    QTest::newRow("beta inf") << "beta"
                              << "inf";
    QTest::newRow("w1 huge") << "w1"
                             << "1e300";
    QTest::newRow("latents 0") << "latentCount"
                               << "0";
    QTest::newRow("field 9") << "field"
                             << "9";
    QTest::newRow("seed negative") << "dataSeed"
                                   << "-4";
    QTest::newRow("y1 nan") << "y1"
                            << "nan";
}

void TestLabSettings::damagedValuesKeepTheDefaults()
{
    QFETCH(QString, key);
    QFETCH(QString, value);
    QTemporaryDir dir;
    QSettings settings(dir.filePath(QStringLiteral("lab.ini")), QSettings::IniFormat);
    settings.setValue(QStringLiteral("lab/") + key, value);
    settings.sync();
    QVERIFY(loadLabState(settings) == LabState{});
}

QTEST_GUILESS_MAIN(TestLabSettings)
#include "tst_labsettings.moc"

// Light and dark themes: every plot and panel follows, meaning colours stay, and the round trip is exact.
#include "latentpanel.h"
#include "mainwindow.h"
#include "observationplane.h"
#include "sectionpanel.h"
#include "theme.h"
#include "trainingpanel.h"

#include <qcustomplot.h>

#include <QActionGroup>
#include <QApplication>
#include <QMenuBar>
#include <QSettings>
#include <QStandardPaths>
#include <QTest>

using namespace ebm;

namespace {

// Every themed colour of every plot under a window, in a fixed order: the round trip must give them all back.
QList<QRgb> themedColours(QWidget *root)
{
    QList<QRgb> out;
    for (QCustomPlot *plot : root->findChildren<QCustomPlot *>()) {
        out << plot->grab().toImage().pixel(1, 1); // the corner is background
        for (QCPAxisRect *rect : plot->axisRects()) {
            for (QCPAxis *axis : rect->axes()) {
                out << axis->basePen().color().rgba() << axis->tickLabelColor().rgba() << axis->labelColor().rgba()
                    << axis->grid()->pen().color().rgba();
            }
        }
        for (int i = 0; i < plot->plottableCount(); ++i)
            out << plot->plottable(i)->pen().color().rgba();
    }
    for (QWidget *w : root->findChildren<QWidget *>()) {
        if (qEnvironmentVariableIsSet("THEME_DEBUG"))
            qDebug() << out.size() << w->metaObject()->className() << w->objectName();
        out << w->palette().color(QPalette::Window).rgba() << w->palette().color(QPalette::WindowText).rgba();
    }
    return out;
}

double meanLightness(const QImage &image)
{
    const QImage small = image.scaled(64, 64, Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
    double sum = 0.0;
    for (int y = 0; y < small.height(); ++y) {
        for (int x = 0; x < small.width(); ++x)
            sum += QColor(small.pixel(x, y)).lightnessF();
    }
    return sum / (small.width() * small.height());
}

} // namespace

class TestTheme : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void panelsFollowTheTheme_data()
    {
        QTest::addColumn<QString>("panel");
        QTest::newRow("latent") << "latent";
        QTest::newRow("section") << "section";
        QTest::newRow("training") << "training";
    }

    void panelsFollowTheTheme()
    {
        QFETCH(QString, panel);
        MainWindow window;
        window.resize(1400, 900);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QWidget *target = panel == "latent"    ? static_cast<QWidget *>(window.latentPanel())
                          : panel == "section" ? static_cast<QWidget *>(window.sectionPanel())
                                               : static_cast<QWidget *>(window.trainingPanel());
        const double light = meanLightness(target->grab().toImage());
        window.setTheme(Theme::Dark);
        QCOMPARE(window.theme(), Theme::Dark);
        QCoreApplication::processEvents();
        const double dark = meanLightness(target->grab().toImage());
        QVERIFY2(light > 0.75 && dark < 0.35, qPrintable(QStringLiteral("lightness %1 -> %2").arg(light).arg(dark)));
        for (QCustomPlot *plot : target->findChildren<QCustomPlot *>()) {
            QCOMPARE(QColor(plot->grab().toImage().pixel(1, 1)), themeColors(Theme::Dark).plot);
            QCOMPARE(plot->xAxis->tickLabelColor().rgb(), themeColors(Theme::Dark).text.rgb());
        }
        window.setTheme(Theme::Light);
    }

    void meaningColoursStay()
    {
        MainWindow window;
        QCustomPlot *plane = window.plane()->plot();
        QList<QRgb> whitePens;
        for (int i = 0; i < plane->plottableCount(); ++i) {
            if (plane->plottable(i)->pen().color().rgb() == QColor(Qt::white).rgb())
                whitePens << plane->plottable(i)->pen().color().rgba();
        }
        QVERIFY(!whitePens.isEmpty()); // the manifold is white on the heatmap
        window.setTheme(Theme::Dark);
        QList<QRgb> after;
        for (int i = 0; i < plane->plottableCount(); ++i) {
            if (plane->plottable(i)->pen().color().rgb() == QColor(Qt::white).rgb())
                after << plane->plottable(i)->pen().color().rgba();
        }
        QCOMPARE(after, whitePens);
        QCOMPARE(QApplication::palette().color(QPalette::Window), themeColors(Theme::Dark).window);
        window.setTheme(Theme::Light);
    }

    void compareViewFollows_data()
    {
        QTest::addColumn<bool>("openedBeforeTheChange");
        QTest::newRow("opened in the dark") << false;
        QTest::newRow("open when it changes") << true;
    }

    void compareViewFollows()
    {
        QFETCH(bool, openedBeforeTheChange);
        MainWindow window;
        if (openedBeforeTheChange)
            window.showCompareView();
        window.setTheme(Theme::Dark);
        QWidget *compare = window.showCompareView();
        QVERIFY(QTest::qWaitForWindowExposed(compare));
        const QList<QCustomPlot *> plots = compare->findChildren<QCustomPlot *>();
        QVERIFY(!plots.isEmpty());
        for (QCustomPlot *plot : plots)
            QCOMPARE(plot->xAxis->tickLabelColor().rgb(), themeColors(Theme::Dark).text.rgb());
        window.setTheme(Theme::Light);
        for (QCustomPlot *plot : plots)
            QCOMPARE(plot->xAxis->tickLabelColor().rgb(), themeColors(Theme::Light).text.rgb());
    }

    void roundTripIsExact()
    {
        MainWindow window;
        const QList<QRgb> before = themedColours(&window);
        window.setTheme(Theme::Dark);
        QVERIFY(themedColours(&window) != before);
        window.setTheme(Theme::Light);
        QCOMPARE(themedColours(&window), before);
    }

    void menuAndSettings()
    {
        {
            MainWindow window;
            QAction *dark = nullptr;
            for (QAction *action : window.findChildren<QAction *>()) {
                if (action->data().toString() == QLatin1String("dark"))
                    dark = action;
            }
            QVERIFY(dark);
            dark->trigger();
            QCOMPARE(window.theme(), Theme::Dark);
            QVERIFY(dark->isChecked());
            window.saveSettings();
            window.setTheme(Theme::Light);
            QVERIFY(!dark->isChecked());
        }
        MainWindow restored;
        restored.restoreSettings();
        QCOMPARE(restored.theme(), Theme::Dark);
        restored.setTheme(Theme::Light);
        QSettings().clear();
    }

    void unknownNameFallsBack()
    {
        QCOMPARE(themeFromName(QStringLiteral("sepia"), Theme::Light), Theme::Light);
        QCOMPARE(themeFromName(QStringLiteral("dark"), Theme::Light), Theme::Dark);
        QCOMPARE(themeFromName(themeName(Theme::Light), Theme::Dark), Theme::Light);
    }
};

QTEST_MAIN(TestTheme)
#include "tst_theme.moc"

// The section panel through the window: with a continuous latent the profile is integrated off the GUI thread (it
// took seconds at large beta, freezing a pan), and the newest request is the one shown.
#include "mainwindow.h"
#include "math/section.h"
#include "observationplane.h"
#include "sectionpanel.h"
#include "testhelpers.h"

#include <QElapsedTimer>
#include <QTest>

#include <cmath>

using namespace ebm;

namespace {

// The profile the window should show for its current state, computed here directly.
SectionProfile expected(const MainWindow &window)
{
    std::vector<double> betas = referenceBetas();
    betas.push_back(window.state().effectiveBeta());
    const QRectF view = window.plane()->viewRange();
    const double y1 = window.state().sectionY1;
    return sectionProfile(window.state().model(), SectionLine{Vec2(y1, view.top()), Vec2(y1, view.bottom())}, betas,
                          241);
}

bool shows(const MainWindow &window, const SectionProfile &profile)
{
    const SectionPanel *panel = window.sectionPanel();
    if (panel->curveCount() != int(profile.curves.size()))
        return false;
    for (int i = 0; i < panel->curveCount(); ++i) {
        const QVector<double> values = panel->curveValues(i);
        const std::vector<double> &want = profile.curves[size_t(i)].values;
        if (values.size() != qsizetype(want.size()))
            return false;
        for (qsizetype k = 0; k < values.size(); ++k) {
            if (std::abs(values[k] - want[size_t(k)]) > 1e-12 * std::max(1.0, std::abs(want[size_t(k)])))
                return false;
        }
    }
    return true;
}

} // namespace

class TestMainWindowSection : public QObject
{
    Q_OBJECT

private slots:
    void continuousSectionArrives_data()
    {
        QTest::addColumn<double>("beta");
        QTest::addColumn<double>("sectionY1");
        QTest::newRow("warm, through the centre") << 1.0 << 0.0;
        QTest::newRow("cold, off centre") << 125.0 << 0.7;
    }

    void continuousSectionArrives()
    {
        QFETCH(double, beta);
        QFETCH(double, sectionY1);
        MainWindow window;
        window.resize(1200, 800);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        LabState s = window.state();
        s.continuousLatent = true;
        s.beta = beta;
        s.sectionY1 = sectionY1;
        window.setState(s);
        QTRY_VERIFY_WITH_TIMEOUT(shows(window, expected(window)), 60000 * ebmtest::kWaitScale);
    }

    void newestRequestIsShown()
    {
        MainWindow window;
        window.resize(1200, 800);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        LabState s = window.state();
        s.continuousLatent = true;
        s.beta = 300.0;
        // A burst of section moves, as a drag of the section line makes: none of them may block the GUI thread
        // for a whole profile, and the last one is what stays on screen.
        QElapsedTimer timer;
        timer.start();
        for (int i = 0; i <= 10; ++i) {
            s.sectionY1 = -1.0 + 0.2 * i;
            window.setState(s);
        }
        qInfo("11 continuous section requests took %lld ms of the GUI thread", timer.elapsed());
        // Computed here, one such profile costs the GUI thread about a second; queued, the burst costs milliseconds.
        QVERIFY2(timer.elapsed() < 1000 * ebmtest::kWaitScale, qPrintable(QString::number(timer.elapsed())));
        QTRY_VERIFY_WITH_TIMEOUT(shows(window, expected(window)), 60000 * ebmtest::kWaitScale);
        QCOMPARE(window.state().sectionY1, 1.0);
        // Back to sampled latents: shown at once, and a continuous result still running never overwrites it.
        s.continuousLatent = false;
        window.setState(s);
        QVERIFY(shows(window, expected(window)));
        QTest::qWait(200);
        QVERIFY(shows(window, expected(window)));
    }
};

QTEST_MAIN(TestMainWindowSection)
#include "tst_mainwindowsection.moc"

// A long training run at full speed keeps the panel cheap to draw: the monkey test found the window frozen for
// seconds per frame once a run with random negatives had ~10^4 epochs: the loss zigzag and the path of w on the
// landscape were stroked as wide polylines through every epoch (0.2-0.3 s CPU per replot at 3e4 epochs).
#include "math/dataset.h"
#include "trainingpanel.h"

#include <qcustomplot.h>

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QElapsedTimer>
#include <QSlider>
#include <QSpinBox>
#include <QTest>

#include <ctime>

using namespace ebm;

class TestTrainingLongRun : public QObject
{
    Q_OBJECT

private slots:
    void longRunKeepsThePathShort_data();
    void longRunKeepsThePathShort();
};

namespace {

QCPCurve *pathOf(const TrainingPanel &panel)
{
    for (int i = 0; i < panel.landscapePlot()->plottableCount(); ++i) {
        if (auto *curve = qobject_cast<QCPCurve *>(panel.landscapePlot()->plottable(i)))
            return curve;
    }
    return nullptr;
}

double threadCpuMs()
{
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

} // namespace

void TestTrainingLongRun::longRunKeepsThePathShort_data()
{
    QTest::addColumn<QString>("loss");
    QTest::addColumn<double>("learningRate");
    QTest::newRow("energy, converging in tiny steps") << "energy" << 0.01;
    QTest::newRow("energy, large steps") << "energy" << 0.9;
    // Fresh random negatives every epoch: w jitters for ever, a dense scribble of long crossing segments.
    QTest::newRow("hinge, random negatives") << "hinge" << 0.5;
    QTest::newRow("log, random negatives, fast") << "log" << 3.0;
}

void TestTrainingLongRun::longRunKeepsThePathShort()
{
    QFETCH(QString, loss);
    QFETCH(double, learningRate);
    constexpr int kEpochs = 30000;
    TrainingPanel panel;
    panel.resize(700, 900);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    auto *lossBox = panel.findChild<QComboBox *>(QStringLiteral("loss"));
    lossBox->setCurrentIndex(lossBox->findText(loss));
    QVERIFY(lossBox->currentText() == loss);
    panel.findChild<QDoubleSpinBox *>(QStringLiteral("learningRate"))->setValue(learningRate);
    panel.findChild<QSpinBox *>(QStringLiteral("epochs"))->setValue(kEpochs);
    auto *speed = panel.findChild<QSlider *>(QStringLiteral("speed"));
    speed->setValue(speed->maximum()); // as fast as it computes
    panel.setProblem(ellipseSamples(DatasetSpec{}), LatentSpec::sampled(48), EllipseParams{1.0, 1.0});
    panel.togglePlay();
    QTRY_VERIFY_WITH_TIMEOUT(!panel.isPlaying(), 120000);
    QCOMPARE(panel.epochCount(), kEpochs + 1);

    // Drawing both plots costs the GUI thread little (CPU time of this thread: the machine's load does not count).
    const double before = threadCpuMs();
    panel.landscapePlot()->replot();
    const double landscapeMs = threadCpuMs() - before;
    panel.lossPlot()->replot();
    const double replotMs = threadCpuMs() - before;
    qInfo("replot of the landscape and the loss curve after %d epochs: %.1f ms + %.1f ms CPU", kEpochs, landscapeMs,
          replotMs - landscapeMs);
    // The path is thinned, yet starts at w_0 and ends at the newest w it shows.
    QCPCurve *path = pathOf(panel);
    QVERIFY(path);
    const int points = path->data()->size();
    qInfo("%d epochs drawn as a path of %d points", panel.epochCount(), points);
    QVERIFY2(points <= 4001, qPrintable(QString::number(points)));
    QCOMPARE(path->data()->constBegin()->key, panel.trace().front().w.w1);
    const QCPCurveData &last = *(path->data()->constEnd() - 1);
    const EllipseParams end = panel.trace().back().w;
    // ... to within the path's resolution, a thousandth of the landscape's width (under a pixel).
    const WRange range = panel.landscapeRange();
    QVERIFY(std::hypot(last.key - end.w1, last.value - end.w2) < 1e-3 * (range.upper - range.lower) + 1e-12);

    QVERIFY2(replotMs < 50.0, qPrintable(QString::number(replotMs)));
}

QTEST_MAIN(TestTrainingLongRun)
#include "tst_traininglongrun.moc"

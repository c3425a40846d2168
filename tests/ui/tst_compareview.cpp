// Compare training: two runs in lockstep through the real buttons, the same data and start, one epoch per step on
// each, identical traces after a reset, the lesson presets, each plane showing the core's w at the shown epoch,
// and one timeline scrubbing both.
#include "compareside.h"
#include "compareview.h"
#include "mainwindow.h"
#include "math/dataset.h"
#include "observationplane.h"
#include "plotstyle.h"

#include <qcustomplot.h>

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QLabel>
#include <QPushButton>
#include <QSlider>
#include <QSpinBox>
#include <QTest>

#include <cmath>

using namespace ebm;

class TestCompareView : public QObject
{
    Q_OBJECT

private slots:
    void bothStartFromTheSameDataAndW();
    void stepAdvancesEachByExactlyOne();
    void playKeepsBothInLockstep();
    void resetReproducesIdenticalTraces();
    void planesShowTheCoresManifoldAtTheShownEpoch();
    void timelineScrubsBoth();
    void editingOneSideRestartsBoth();
    void lessonPresetsConfigureIt();
    void screenshots();

private:
    static std::vector<Vec2> lectureData() { return ellipseSamples(DatasetSpec{}); }
    static void setLectureProblem(CompareView &view)
    {
        view.setProblem(lectureData(), LatentSpec::sampled(48), EllipseParams{1.0, 1.0});
        QTRY_COMPARE_WITH_TIMEOUT(view.lockstep()->commonEpoch(), 0, 10000);
    }
    template<typename T>
    static T *child(const QWidget &parent, const char *name)
    {
        T *widget = parent.findChild<T *>(QString::fromLatin1(name));
        if (!widget)
            qFatal("no child %s", name);
        return widget;
    }
    static void click(const CompareView &view, const char *button)
    {
        QTest::mouseClick(child<QPushButton>(view, button), Qt::LeftButton);
    }
    static std::vector<TracePoint> reference(const CompareView &view, int side, int epochs)
    {
        TrainingRun run(view.lockstep()->data(), view.lockstep()->config(side));
        run.run(epochs);
        return run.trace();
    }
    static int lessonIndex(const MainWindow &window, const QString &title)
    {
        for (size_t i = 0; i < window.lessons().size(); ++i) {
            if (window.lessons()[i].title.contains(title))
                return int(i);
        }
        return -1;
    }
    //! The manifold curve drawn on a side's plane.
    static QCPCurve *manifold(const CompareSide &side)
    {
        QCustomPlot *plot = side.plane()->plot();
        for (int i = 0; i < plot->plottableCount(); ++i) {
            if (plot->plottable(i)->name() == QLatin1String("model manifold g(z)"))
                return qobject_cast<QCPCurve *>(plot->plottable(i));
        }
        return nullptr;
    }
    static void verifyPlaneShows(const CompareView &view, int side, int epoch);
};

void TestCompareView::bothStartFromTheSameDataAndW()
{
    CompareView view;
    setLectureProblem(view);
    const LockstepTraining *lockstep = view.lockstep();
    QCOMPARE(lockstep->data(), lectureData());
    for (int side = 0; side < 2; ++side) {
        QCOMPARE(lockstep->config(side).init, (EllipseParams{1.0, 1.0}));
        QCOMPARE(lockstep->trace(side).front().w, (EllipseParams{1.0, 1.0}));
        QCOMPARE(view.side(side)->shownW(), (EllipseParams{1.0, 1.0}));
        QCOMPARE(view.side(side)->config(), lockstep->config(side));
    }
    // The default comparison: zero temperature (A) against marginalised (B), the same loss otherwise.
    QVERIFY(std::isinf(lockstep->config(0).loss.beta));
    QVERIFY(std::isfinite(lockstep->config(1).loss.beta));
    QCOMPARE(lockstep->config(0).loss.kind, lockstep->config(1).loss.kind);
}

void TestCompareView::stepAdvancesEachByExactlyOne()
{
    CompareView view;
    setLectureProblem(view);
    for (int k = 1; k <= 3; ++k) {
        click(view, "step");
        QTRY_COMPARE_WITH_TIMEOUT(view.lockstep()->commonEpoch(), k, 10000);
        QTest::qWait(30); // and no more
        for (int side = 0; side < 2; ++side) {
            QCOMPARE(view.lockstep()->trace(side).size(), size_t(k + 1));
            QCOMPARE(view.side(side)->shownEpoch(), k);
            QCOMPARE(view.side(side)->lossCurve().size(), qsizetype(k + 1));
        }
        QCOMPARE(view.shownEpoch(), k);
    }
    for (int side = 0; side < 2; ++side) {
        const std::vector<TracePoint> expected = reference(view, side, 3);
        QCOMPARE(view.lockstep()->trace(side), expected);
        const QVector<double> curve = view.side(side)->lossCurve();
        for (int k = 0; k <= 3; ++k)
            QCOMPARE(curve[k], expected[size_t(k)].loss);
    }
}

void TestCompareView::playKeepsBothInLockstep()
{
    CompareView view;
    setLectureProblem(view);
    // B: the NLL over its 21 x 21 candidates, much slower per epoch than A's energy loss.
    auto *loss = child<QComboBox>(*view.side(1), "loss");
    loss->setCurrentIndex(loss->findText(QStringLiteral("NLL")));
    QTRY_COMPARE_WITH_TIMEOUT(view.lockstep()->config(1).loss.kind, LossKind::Nll, 5000);
    QSlider *speed = child<QSlider>(view, "speed");
    speed->setValue(speed->maximum());
    int worstGap = 0, curvesApart = 0;
    auto check = [&] {
        worstGap =
            std::max(worstGap, std::abs(int(view.lockstep()->trace(0).size()) - int(view.lockstep()->trace(1).size())));
        // What is drawn never runs ahead: both curves hold the same epochs.
        curvesApart =
            std::max(curvesApart, int(std::abs(view.side(0)->lossCurve().size() - view.side(1)->lossCurve().size())));
    };
    for (int side = 0; side < 2; ++side)
        connect(view.lockstep()->worker(side), &TrainingWorker::progress, this, check);
    click(view, "play");
    QVERIFY(view.lockstep()->isPlaying());
    QCOMPARE(child<QPushButton>(view, "play")->text(), QStringLiteral("⏸ Pause"));
    QTRY_VERIFY_WITH_TIMEOUT(view.lockstep()->commonEpoch() >= 25, 20000);
    click(view, "play");
    QVERIFY(!view.lockstep()->isPlaying());
    QTRY_COMPARE_WITH_TIMEOUT(view.lockstep()->commonEpoch(), view.lockstep()->targetEpoch(), 10000);
    QVERIFY2(worstGap <= LockstepTraining::kLookahead, qPrintable(QString::number(worstGap)));
    QCOMPARE(curvesApart, 0);
    const int epochs = view.lockstep()->commonEpoch();
    for (int side = 0; side < 2; ++side) {
        QCOMPARE(view.lockstep()->trace(side), reference(view, side, epochs));
        QCOMPARE(view.side(side)->shownEpoch(), epochs);
    }
}

void TestCompareView::resetReproducesIdenticalTraces()
{
    CompareView view;
    setLectureProblem(view);
    child<QSpinBox>(view, "epochs")->setValue(15);
    QSlider *speed = child<QSlider>(view, "speed");
    speed->setValue(speed->maximum());
    click(view, "play");
    QTRY_VERIFY_WITH_TIMEOUT(!view.lockstep()->isPlaying() && view.lockstep()->commonEpoch() == 15, 20000);
    const std::vector<TracePoint> a = view.lockstep()->trace(0), b = view.lockstep()->trace(1);
    QCOMPARE(a.size(), size_t(16));
    click(view, "reset");
    QTRY_COMPARE_WITH_TIMEOUT(view.lockstep()->commonEpoch(), 0, 10000);
    QCOMPARE(child<QSlider>(view, "timeline")->maximum(), 0);
    for (int side = 0; side < 2; ++side) {
        QCOMPARE(view.side(side)->shownW(), (EllipseParams{1.0, 1.0}));
        QCOMPARE(view.side(side)->lossCurve().size(), qsizetype(1));
    }
    click(view, "play");
    QTRY_VERIFY_WITH_TIMEOUT(!view.lockstep()->isPlaying() && view.lockstep()->commonEpoch() == 15, 20000);
    QCOMPARE(view.lockstep()->trace(0), a);
    QCOMPARE(view.lockstep()->trace(1), b);
}

void TestCompareView::verifyPlaneShows(const CompareView &view, int side, int epoch)
{
    const CompareSide *s = view.side(side);
    const TracePoint &row = view.lockstep()->trace(side)[size_t(epoch)];
    QCOMPARE(s->shownEpoch(), epoch);
    QCOMPARE(s->shownW(), row.w);
    // The manifold drawn is g_w(z) for the core's w at that epoch.
    QCPCurve *curve = manifold(*s);
    QVERIFY(curve && curve->dataCount() > 100);
    const int n = curve->dataCount();
    for (int k : {0, n / 7, n / 3, n - 1}) {
        const Vec2 g = decode(row.w, kTwoPi * k / (n - 1));
        QVERIFY(std::abs(curve->data()->at(k)->key - g.x()) < 1e-12);
        QVERIFY(std::abs(curve->data()->at(k)->value - g.y()) < 1e-12);
    }
    // The heatmap is the side's F for that w: cell values against the core's free energy.
    QTRY_VERIFY_WITH_TIMEOUT(s->displayedJob().w == row.w, 10000);
    const FieldJob &job = s->displayedJob();
    QCOMPARE(job.request.beta, view.lockstep()->config(side).loss.beta);
    const EllipseEbm model(row.w, view.lockstep()->config(side).latents);
    for (auto [i, j] : {std::pair{0, 0}, std::pair{job.grid.nx / 3, job.grid.ny / 2}}) {
        const Vec2 y(job.grid.y1At(i), job.grid.y2At(j));
        const double expected = model.freeEnergy(y, job.request.beta);
        QVERIFY2(std::abs(s->plane()->displayedValue(i, j) - expected) <= 1e-9 * std::max(1.0, std::abs(expected)),
                 qPrintable(QStringLiteral("%1 vs %2").arg(s->plane()->displayedValue(i, j)).arg(expected)));
    }
}

void TestCompareView::planesShowTheCoresManifoldAtTheShownEpoch()
{
    CompareView view;
    view.resize(1400, 900);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    setLectureProblem(view);
    for (int k = 0; k < 6; ++k)
        click(view, "step");
    QTRY_COMPARE_WITH_TIMEOUT(view.lockstep()->commonEpoch(), 6, 10000);
    for (int side = 0; side < 2; ++side)
        verifyPlaneShows(view, side, 6);
    // The two runs really differ (else the comparison shows nothing).
    QVERIFY(!(view.side(0)->shownW() == view.side(1)->shownW()));
}

void TestCompareView::timelineScrubsBoth()
{
    CompareView view;
    view.resize(1400, 900);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    setLectureProblem(view);
    for (int k = 0; k < 10; ++k)
        click(view, "step");
    QTRY_COMPARE_WITH_TIMEOUT(view.lockstep()->commonEpoch(), 10, 10000);
    QSlider *timeline = child<QSlider>(view, "timeline");
    QTRY_COMPARE_WITH_TIMEOUT(timeline->maximum(), 10, 5000);
    for (int epoch : {4, 0, 7}) {
        timeline->setValue(epoch);
        QVERIFY(!view.isFollowing());
        for (int side = 0; side < 2; ++side)
            verifyPlaneShows(view, side, epoch);
        QCOMPARE(child<QLabel>(view, "timelineLabel")->text(), QStringLiteral("%1 / 10").arg(epoch));
        // The curves keep every common epoch; only the marker moves.
        QCOMPARE(view.side(0)->lossCurve().size(), qsizetype(11));
    }
    // A step while scrubbed back follows the newest epoch again, on both.
    click(view, "step");
    QTRY_COMPARE_WITH_TIMEOUT(view.shownEpoch(), 11, 10000);
    QVERIFY(view.isFollowing());
    for (int side = 0; side < 2; ++side)
        verifyPlaneShows(view, side, 11);
}

void TestCompareView::editingOneSideRestartsBoth()
{
    CompareView view;
    setLectureProblem(view);
    for (int k = 0; k < 4; ++k)
        click(view, "step");
    QTRY_COMPARE_WITH_TIMEOUT(view.lockstep()->commonEpoch(), 4, 10000);
    auto *loss = child<QComboBox>(*view.side(1), "loss");
    loss->setCurrentIndex(loss->findText(QStringLiteral("hinge")));
    QCOMPARE(view.lockstep()->config(1).loss.kind, LossKind::Hinge);
    QCOMPARE(view.lockstep()->config(1).init, (EllipseParams{1.0, 1.0}));
    QTRY_VERIFY_WITH_TIMEOUT(view.lockstep()->commonEpoch() == 0 && view.lockstep()->trace(0).size() == 1 &&
                                 view.lockstep()->trace(1).size() == 1,
                             10000);
    QVERIFY(child<QLabel>(*view.side(1), "title")->text().contains(QStringLiteral("hinge")));
    click(view, "step");
    QTRY_COMPARE_WITH_TIMEOUT(view.lockstep()->commonEpoch(), 1, 10000);
    QCOMPARE(view.lockstep()->trace(1), reference(view, 1, 1));
}

void TestCompareView::lessonPresetsConfigureIt()
{
    MainWindow window;
    QVERIFY(!window.compareView());
    const int temperatures = lessonIndex(window, QStringLiteral("Compare: zero temperature vs marginalised"));
    const int hinge = lessonIndex(window, QStringLiteral("Compare: hinge with margin vs log"));
    QVERIFY(temperatures >= 0 && hinge > temperatures);

    window.applyLesson(temperatures);
    CompareView *view = window.compareView();
    QVERIFY(view && view->isVisible() && view->isWindow());
    QVERIFY(view->explanation().contains(QStringLiteral("marginalised")));
    QTRY_COMPARE_WITH_TIMEOUT(view->lockstep()->commonEpoch(), 0, 10000);
    const LockstepTraining *lockstep = view->lockstep();
    QCOMPARE(lockstep->data(), window.data());
    QCOMPARE(lockstep->config(0).loss.kind, LossKind::Energy);
    QCOMPARE(lockstep->config(1).loss.kind, LossKind::Energy);
    QVERIFY(std::isinf(lockstep->config(0).loss.beta));
    QVERIFY(std::isfinite(lockstep->config(1).loss.beta));
    QCOMPARE(lockstep->config(0).init, (EllipseParams{1.0, 1.0}));
    QCOMPARE(lockstep->config(1).init, (EllipseParams{1.0, 1.0}));
    QVERIFY(child<QCheckBox>(*view->side(1), "zeroTemperature")->isChecked() == false);
    QVERIFY(child<QCheckBox>(*view->side(0), "zeroTemperature")->isChecked());
    // As in the lecture: zero temperature reaches the data's ellipse (2, 1.5); marginalised stays inside it.
    QSlider *speed = child<QSlider>(*view, "speed");
    speed->setValue(speed->maximum());
    click(*view, "play");
    QTRY_VERIFY_WITH_TIMEOUT(!lockstep->isPlaying(), 30000);
    QCOMPARE(lockstep->commonEpoch(), child<QSpinBox>(*view, "epochs")->value());
    const EllipseParams cold = lockstep->trace(0).back().w, warm = lockstep->trace(1).back().w;
    QVERIFY2(std::abs(cold.w1 - 2.0) < 0.1 && std::abs(cold.w2 - 1.5) < 0.1,
             qPrintable(QStringLiteral("(%1, %2)").arg(cold.w1).arg(cold.w2)));
    QVERIFY(warm.w1 < cold.w1 - 0.2 && warm.w2 < cold.w2 - 0.2);

    // Then hinge with a margin against log: negatives drawn and pushed up, the level F = m on the hinge side.
    window.applyLesson(hinge);
    QCOMPARE(window.compareView(), view); // the same window, set up anew
    QTRY_VERIFY_WITH_TIMEOUT(lockstep->commonEpoch() == 0 && lockstep->trace(0).size() == 1, 10000);
    QCOMPARE(lockstep->config(0).loss.kind, LossKind::Hinge);
    QCOMPARE(lockstep->config(0).loss.margin, 1.0);
    QCOMPARE(lockstep->config(1).loss.kind, LossKind::Log);
    QCOMPARE(lockstep->config(0).negatives.strategy, NegativeStrategy::Offending);
    for (int k = 0; k < 3; ++k)
        click(*view, "step");
    QTRY_COMPARE_WITH_TIMEOUT(lockstep->commonEpoch(), 3, 10000);
    const int data = int(window.data().size());
    for (int side = 0; side < 2; ++side) {
        QVERIFY(!lockstep->pairs(side, 3).empty());
        // One pull per data point, one push per negative.
        QCOMPARE(view->side(side)->plane()->trainingArrowCount(), data + int(lockstep->pairs(side, 3).size()));
    }
    QTRY_VERIFY_WITH_TIMEOUT(view->side(0)->displayedJob().marginLine &&
                                 view->side(0)->displayedJob().w == lockstep->trace(0).back().w,
                             10000);
    QCOMPARE(view->side(0)->displayedJob().margin, 1.0);
    QVERIFY(!view->side(1)->displayedJob().marginLine); // log has no margin
    // The pushes point away from the negatives: each arrow starts at the inferred point and moves away from y_hat.
}

void TestCompareView::screenshots()
{
    const QString dir = qEnvironmentVariable("EBM_SCREENSHOT_DIR");
    if (dir.isEmpty())
        QSKIP("set EBM_SCREENSHOT_DIR to save screenshots");
    MainWindow window;
    for (const auto &[title, epochs, name] :
         {std::tuple{QStringLiteral("Compare: zero temperature"), 40, QStringLiteral("compare_temperatures")},
          std::tuple{QStringLiteral("Compare: hinge"), 25, QStringLiteral("compare_hinge_log")}}) {
        window.applyLesson(lessonIndex(window, title));
        CompareView *view = window.compareView();
        view->resize(1920, 1080); // a projector
        QVERIFY(QTest::qWaitForWindowExposed(view));
        QTRY_COMPARE_WITH_TIMEOUT(view->lockstep()->commonEpoch(), 0, 10000);
        for (int k = 0; k < epochs; ++k)
            view->stepOnce();
        QTRY_COMPARE_WITH_TIMEOUT(view->lockstep()->commonEpoch(), epochs, 20000);
        for (int side = 0; side < 2; ++side)
            QTRY_VERIFY_WITH_TIMEOUT(view->side(side)->displayedJob().w == view->side(side)->shownW(), 10000);
        QTest::qWait(150);
        QVERIFY(view->grab().save(QDir(dir).filePath(name + QStringLiteral(".png"))));
    }
    // Presentation mode (F11 in the main window) scales the compare window with everything else.
    window.setPresentationMode(true);
    CompareView *view = window.compareView();
    view->showNormal();
    view->resize(1920, 1080);
    QTest::qWait(100);
    // The planes changed size: their fields are computed again over what they now show.
    for (int side = 0; side < 2; ++side) {
        const CompareSide *s = view->side(side);
        QTRY_VERIFY_WITH_TIMEOUT(s->displayedJob().grid.x0 == s->plane()->visibleRange().left() &&
                                     s->displayedJob().grid.y1 == s->plane()->visibleRange().bottom(),
                                 10000);
    }
    QTest::qWait(150);
    QVERIFY(view->grab().save(QDir(dir).filePath(QStringLiteral("compare_presentation.png"))));
    window.setPresentationMode(false);
}

QTEST_MAIN(TestCompareView)
#include "tst_compareview.moc"

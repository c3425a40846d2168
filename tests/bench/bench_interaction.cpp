// Interactivity figures of the real window (offscreen): time to the first painted frame, drag-to-repaint
// latency of the latent panel, and heatmap recompute + replot per grid size. Printed, never asserted.
#include "dispatchprofile.h"
#include "latentpanel.h"
#include "mainwindow.h"
#include "math/fastfield.h"
#include "math/field.h"
#include "math/parallelblocks.h"
#include "observationplane.h"
#include "sectionpanel.h"
#include "trainingpanel.h"

#include <qcustomplot.h>

#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QMouseEvent>
#include <QSignalSpy>
#include <QSlider>
#include <QSpinBox>
#include <QTest>
#include <QTimer>

#include <time.h>

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstdio>
#include <vector>

using namespace ebm;

namespace {

using ebmtest::ProfilingApplication;
constexpr auto threadCpuMs = &ProfilingApplication::threadCpuMs;

double percentile(std::vector<double> v, double p)
{
    std::sort(v.begin(), v.end());
    return v[static_cast<size_t>(p * (v.size() - 1))];
}

// Shows the window and waits until its first field is on screen.
void showWithFirstField(MainWindow &window, QSignalSpy &applied)
{
    window.show();
    applied.wait(30000);
}

void sendMouse(QWidget *target, QEvent::Type type, QPoint pos, Qt::MouseButtons buttons)
{
    QMouseEvent event(type, pos, target->mapToGlobal(pos), Qt::LeftButton, buttons, Qt::NoModifier);
    QApplication::sendEvent(target, &event);
}

void firstFrame()
{
    QElapsedTimer timer;
    timer.start();
    MainWindow window;
    QSignalSpy applied(&window, &MainWindow::fieldApplied);
    showWithFirstField(window, applied);
    window.plane()->plot()->replot(QCustomPlot::rpImmediateRefresh);
    std::printf("first painted frame: %.1f ms (target < 500 ms)\n", timer.nsecsElapsed() / 1e6);
}

void dragLatency()
{
    MainWindow window;
    QSignalSpy applied(&window, &MainWindow::fieldApplied);
    showWithFirstField(window, applied);
    ObservationPlane *plane = window.plane();
    QCustomPlot *plot = plane->plot();
    plot->replot(QCustomPlot::rpImmediateRefresh);
    QPoint pos = plane->toPixels(window.state().observation);
    sendMouse(plot, QEvent::MouseButtonPress, pos, Qt::LeftButton);
    std::vector<double> ms;
    for (int i = 0; i < 500; ++i) {
        // A loop around the manifold, 2 pixels a step.
        pos += QPoint(i % 200 < 100 ? 2 : -2, (i / 50) % 2 ? 2 : -2);
        QElapsedTimer timer;
        timer.start();
        sendMouse(plot, QEvent::MouseMove, pos, Qt::LeftButton);
        window.latentPanel()->plot()->replot(QCustomPlot::rpImmediateRefresh);
        window.latentPanel()->repaint(); // the read-outs
        ms.push_back(timer.nsecsElapsed() / 1e6);
    }
    sendMouse(plot, QEvent::MouseButtonRelease, pos, Qt::NoButton);
    std::printf("drag y -> latent panel and read-outs repainted, 500 moves: p50 %.2f ms, p99 %.2f ms (target p99 < 16 "
                "ms)\n",
                percentile(ms, 0.5), percentile(ms, 0.99));
}

void heatmapRecompute()
{
    MainWindow window;
    QSignalSpy applied(&window, &MainWindow::fieldApplied);
    showWithFirstField(window, applied);
    const EllipseEbm model;
    const FieldRequest request{FieldKind::FreeEnergy, 1.0, 0.0};
    std::printf("heatmap F_beta, N = 48: grid, reference compute ms, fast compute ms (all cores), copy + replot ms, "
                "total with the fast path ms\n");
    for (int n : {256, 512, 1024}) {
        const Grid grid{-3, 3, -3, 3, n, n};
        QElapsedTimer timer;
        timer.start();
        const auto values = evaluateField(model, request, grid);
        const double computeMs = timer.nsecsElapsed() / 1e6;
        timer.restart();
        const auto fast = evaluateFieldFast(model, request, grid, hardwareThreads());
        const double fastMs = timer.nsecsElapsed() / 1e6;
        timer.restart();
        window.plane()->setField(grid, *fast, QStringLiteral("F"));
        window.plane()->plot()->replot(QCustomPlot::rpImmediateRefresh);
        const double replotMs = timer.nsecsElapsed() / 1e6;
        const double difference = ((*fast - *values).array().abs() / values->array().abs()).maxCoeff();
        std::printf("  %4d^2  %8.1f  %8.2f  %8.1f  %8.1f   (max rel. difference %.1e)\n", n, computeMs, fastMs,
                    replotMs, fastMs + replotMs, difference);
    }
}

void betaChangeOnGuiThread()
{
    MainWindow window;
    QSignalSpy applied(&window, &MainWindow::fieldApplied);
    showWithFirstField(window, applied);
    LabState s = window.state();
    s.resolution = 512;
    std::vector<double> setMs, replotMs;
    for (int i = 0; i < 60; ++i) {
        s.beta = std::pow(10.0, -2.0 + 4.0 * i / 59.0);
        QElapsedTimer timer;
        timer.start();
        window.setState(s); // what the GUI thread does for one slider step (the field itself is computed elsewhere)
        setMs.push_back(timer.nsecsElapsed() / 1e6);
        timer.restart();
        QCoreApplication::processEvents(); // the queued replots of every panel
        replotMs.push_back(timer.nsecsElapsed() / 1e6);
    }
    std::printf("beta step on the GUI thread, 60 steps: state p50 %.2f ms, p99 %.2f ms; queued repaints p50 %.2f ms, "
                "p99 %.2f ms (target: never blocked > 16 ms)\n",
                percentile(setMs, 0.5), percentile(setMs, 0.99), percentile(replotMs, 0.5), percentile(replotMs, 0.99));
}

void betaScrubEndToEnd()
{
    MainWindow window;
    QSignalSpy applied(&window, &MainWindow::fieldApplied);
    showWithFirstField(window, applied);
    LabState s = window.state();
    s.resolution = 512;
    window.setState(s);
    applied.wait(30000);
    std::vector<double> ms;
    for (int i = 0; i < 60; ++i) {
        s.beta = std::pow(10.0, -2.0 + 4.0 * i / 59.0);
        QElapsedTimer timer;
        timer.start();
        window.setState(s); // one slider step: the model thread computes, the GUI copies, colours and repaints
        while (window.displayedJob().request.beta != s.beta && timer.elapsed() < 5000)
            applied.wait(100);
        window.plane()->plot()->replot(QCustomPlot::rpImmediateRefresh);
        ms.push_back(timer.nsecsElapsed() / 1e6);
    }
    std::printf("beta scrub, %dx%d heatmap, end to end (compute + colour + replot), 60 steps: p50 %.1f ms, p95 %.1f "
                "ms (target p95 < 33 ms)\n",
                window.displayedJob().grid.nx, window.displayedJob().grid.ny, percentile(ms, 0.5),
                percentile(ms, 0.95));
}

// The slider as a user drags it: a beta step every 16 ms for 2 s, on the real event loop (the field computed in the
// model thread, applied, coloured and repainted as the window does by itself). A 1 ms probe timer measures how long
// the GUI thread was blocked at a time; a frame is a repaint of the plane, its latency the time from the beta step
// to the repaint that shows the field for it (or a newer one).
void betaScrubEventLoop()
{
    MainWindow window;
    QSignalSpy applied(&window, &MainWindow::fieldApplied);
    showWithFirstField(window, applied);
    LabState s = window.state();
    s.resolution = 512;
    window.setState(s);
    applied.wait(30000);
    QCoreApplication::processEvents();

    QElapsedTimer clock;
    clock.start();
    double lastTick = 0.0, longestGap = 0.0;
    std::vector<double> gaps;
    QTimer probe;
    probe.setTimerType(Qt::PreciseTimer);
    probe.setInterval(1);
    auto *app = ProfilingApplication::instance();
    double longestGapEnd = 0.0; // on the application's clock, to find the dispatches inside the longest gap
    QObject::connect(&probe, &QTimer::timeout, [&] {
        const double now = clock.nsecsElapsed() / 1e6;
        gaps.push_back(now - lastTick);
        if (now - lastTick > longestGap) {
            longestGap = now - lastTick;
            longestGapEnd = app->nowMs();
        }
        lastTick = now;
    });
    // Replot times of each panel, and the plane's frames.
    std::vector<double> planeMs, latentMs, sectionMs, applyMs, frameLatency;
    QCustomPlot *plane = window.plane()->plot();
    QObject::connect(plane, &QCustomPlot::afterReplot, [&] { planeMs.push_back(plane->replotTime()); });
    QObject::connect(window.latentPanel()->plot(), &QCustomPlot::afterReplot,
                     [&] { latentMs.push_back(window.latentPanel()->plot()->replotTime()); });
    QObject::connect(window.sectionPanel()->plot(), &QCustomPlot::afterReplot,
                     [&] { sectionMs.push_back(window.sectionPanel()->plot()->replotTime()); });
    std::vector<std::pair<double, double>> requested; // (beta, time)
    double pendingSince = -1.0;
    QObject::connect(&window, &MainWindow::fieldApplied, [&] {
        const double beta = window.displayedJob().request.beta;
        for (const auto &[b, t] : requested) {
            if (b == beta) {
                pendingSince = t; // the step this field answers; a newer field answers a later one
                break;
            }
        }
    });
    QObject::connect(window.plane(), &ObservationPlane::redrawn, [&] {
        if (pendingSince >= 0.0) {
            frameLatency.push_back(clock.nsecsElapsed() / 1e6 - pendingSince);
            pendingSince = -1.0;
        }
    });
    QTimer driver;
    driver.setTimerType(Qt::PreciseTimer);
    driver.setInterval(16);
    int step = 0;
    constexpr int kSteps = 125;
    QEventLoop loop;
    QObject::connect(&driver, &QTimer::timeout, [&] {
        if (step == kSteps) {
            loop.quit();
            return;
        }
        s.beta = std::pow(10.0, -2.0 + 4.0 * (step % 60) / 59.0) * (step >= 60 ? 1.01 : 1.0);
        requested.push_back({s.beta, clock.nsecsElapsed() / 1e6});
        QElapsedTimer t;
        t.start();
        window.setState(s);
        applyMs.push_back(t.nsecsElapsed() / 1e6);
        ++step;
    });
    app->dispatches.clear();
    app->recording = true;
    lastTick = clock.nsecsElapsed() / 1e6;
    probe.start();
    driver.start();
    loop.exec();
    probe.stop();
    driver.stop();
    app->recording = false;
    std::printf("  the longest block was made of:");
    for (const auto &e : app->dispatches) {
        if (e.endMs <= longestGapEnd && e.endMs > longestGapEnd - longestGap)
            std::printf(" %.1f ms (%.1f CPU) %s;", e.wallMs, e.cpuMs, qPrintable(e.what));
    }
    std::printf("\n");
    std::vector<ProfilingApplication::Dispatch> d = app->dispatches;
    std::sort(d.begin(), d.end(), [](const auto &a, const auto &b) { return a.cpuMs > b.cpuMs; });
    double longestWall = 0.0;
    for (const auto &e : d)
        longestWall = std::max(longestWall, e.wallMs);
    std::printf("  longest single event dispatch on the GUI thread: %.1f ms wall; by CPU time:", longestWall);
    for (size_t i = 0; i < std::min<size_t>(4, d.size()); ++i)
        std::printf(" %.1f ms (%.1f wall) %s;", d[i].cpuMs, d[i].wallMs, qPrintable(d[i].what));
    std::printf("\n");
    const auto p = [](const std::vector<double> &v, double q) { return v.empty() ? 0.0 : percentile(v, q); };
    std::printf("beta scrub on the event loop, 512^2, a step every 16 ms for %d steps: GUI thread longest blocked %.1f "
                "ms, p99 gap %.1f ms (target: never > 16 ms); frames %zu, latency step -> frame p50 %.1f ms, p95 "
                "%.1f ms (target p95 < 33 ms)\n",
                kSteps, longestGap, p(gaps, 0.99), frameLatency.size(), p(frameLatency, 0.5), p(frameLatency, 0.95));
    std::printf("  GUI work per event: setState p50 %.2f / max %.2f ms; replot plane p50 %.2f / max %.2f ms (%zu), "
                "latent p50 %.2f / max %.2f ms (%zu), section p50 %.2f / max %.2f ms (%zu)\n",
                p(applyMs, 0.5), p(applyMs, 1.0), p(planeMs, 0.5), p(planeMs, 1.0), planeMs.size(), p(latentMs, 0.5),
                p(latentMs, 1.0), latentMs.size(), p(sectionMs, 0.5), p(sectionMs, 1.0), sectionMs.size());
}

// Where a 512^2 field's time goes on the GUI thread: the copy into the colour map, and the replot after it.
void heatmapBreakdown()
{
    MainWindow window;
    QSignalSpy applied(&window, &MainWindow::fieldApplied);
    showWithFirstField(window, applied);
    const Grid grid{-3, 3, -3, 3, 512, 512};
    std::vector<double> setMs, replotMs, idleReplotMs;
    for (int r = 0; r < 15; ++r) {
        const auto values = evaluateFieldFast(EllipseEbm(), {FieldKind::FreeEnergy, 0.5 + r, 0.0}, grid, 2);
        QElapsedTimer timer;
        timer.start();
        window.plane()->setField(grid, *values, QStringLiteral("F"));
        setMs.push_back(timer.nsecsElapsed() / 1e6);
        timer.restart();
        window.plane()->plot()->replot(QCustomPlot::rpImmediateRefresh);
        replotMs.push_back(timer.nsecsElapsed() / 1e6);
        timer.restart();
        window.plane()->plot()->replot(QCustomPlot::rpImmediateRefresh);
        idleReplotMs.push_back(timer.nsecsElapsed() / 1e6);
    }
    std::printf("heatmap 512^2 on the GUI thread: setField p50 %.2f ms, replot after new data p50 %.2f ms, replot "
                "without new data p50 %.2f ms\n",
                percentile(setMs, 0.5), percentile(replotMs, 0.5), percentile(idleReplotMs, 0.5));
    // What the plane's replot is made of (thread CPU time, the minimum of 15: robust to the scheduler): the bare
    // plot (axes, colour scale), then with the heatmap, then with everything.
    QCustomPlot *plot = window.plane()->plot();
    const auto replotCpu = [&] {
        double best = 1e9;
        for (int r = 0; r < 15; ++r) {
            const double t = threadCpuMs();
            plot->replot(QCustomPlot::rpImmediateRefresh);
            best = std::min(best, threadCpuMs() - t);
        }
        return best;
    };
    std::vector<QCPAbstractPlottable *> plottables;
    std::vector<QCPAbstractItem *> items;
    for (int i = 0; i < plot->plottableCount(); ++i) {
        if (plot->plottable(i)->visible())
            plottables.push_back(plot->plottable(i));
    }
    for (int i = 0; i < plot->itemCount(); ++i) {
        if (plot->item(i)->visible())
            items.push_back(plot->item(i));
    }
    const double everything = replotCpu();
    for (auto *p : plottables)
        p->setVisible(false);
    for (auto *item : items)
        item->setVisible(false);
    const double bare = replotCpu();
    plottables.front()->setVisible(true); // the heatmap
    const double heatmap = replotCpu();
    std::printf("  plane plottables alone over the heatmap, CPU ms:");
    for (size_t i = 1; i < plottables.size(); ++i) {
        plottables[i]->setVisible(true);
        std::printf(" %s '%s' +%.2f;", plottables[i]->metaObject()->className(), qPrintable(plottables[i]->name()),
                    replotCpu() - heatmap);
        plottables[i]->setVisible(false);
    }
    std::printf("\n");
    for (auto *p : plottables)
        p->setVisible(true);
    const double withPlottables = replotCpu();
    for (auto *item : items)
        item->setVisible(true);
    std::printf("  plane items over it all, CPU ms:");
    for (auto *item : items) {
        item->setVisible(false);
    }
    const double noItems = replotCpu();
    for (auto *item : items) {
        item->setVisible(true);
        std::printf(" %s +%.2f;", item->metaObject()->className(), replotCpu() - noItems);
        item->setVisible(false);
    }
    std::printf("\n");
    for (QCustomPlot *other : {window.latentPanel()->plot(), window.sectionPanel()->plot()}) {
        double best = 1e9;
        for (int r = 0; r < 15; ++r) {
            const double t = threadCpuMs();
            other->replot(QCustomPlot::rpImmediateRefresh);
            best = std::min(best, threadCpuMs() - t);
        }
        std::printf("  %s replot alone (with its repaint), CPU ms (min of 15): %.2f\n",
                    other->parent()->metaObject()->className(), best);
    }
    std::printf("  plane replot without new data, CPU ms (min of 15): bare plot %.2f, + heatmap %.2f, + %zu other "
                "plottables %.2f, + %zu items %.2f (all: %.2f)\n",
                bare, heatmap, plottables.size() - 1, withPlottables, items.size(), replotCpu(), everything);
}

// Training played at full speed in the real panel: how many epochs reach the screen per second (a plane repaint
// showing a w it had not shown), the target being display rate.
void trainingPlayback()
{
    MainWindow window;
    QSignalSpy applied(&window, &MainWindow::fieldApplied);
    showWithFirstField(window, applied);
    TrainingPanel *panel = window.trainingPanel();
    auto *speed = panel->findChild<QSlider *>(QStringLiteral("speed"));
    if (speed)
        speed->setValue(speed->maximum()); // "max"
    if (auto *epochs = panel->findChild<QSpinBox *>(QStringLiteral("epochs")))
        epochs->setValue(epochs->maximum()); // no stop at the default 1000 epochs within the measurement
    int changed = 0, drawn = 0;
    bool dirty = false;
    QObject::connect(panel, &TrainingPanel::parametersChanged, [&] {
        ++changed;
        dirty = true;
    });
    QObject::connect(window.plane(), &ObservationPlane::redrawn, [&] {
        if (dirty)
            ++drawn;
        dirty = false;
    });
    std::vector<std::vector<double>> panelReplots; // each of the panel's plots: its replot times, in order
    const QList<QCustomPlot *> panelPlots = panel->findChildren<QCustomPlot *>();
    panelReplots.resize(size_t(panelPlots.size()));
    for (qsizetype i = 0; i < panelPlots.size(); ++i) {
        QCustomPlot *plot = panelPlots[i];
        QObject::connect(plot, &QCustomPlot::afterReplot,
                         [&panelReplots, plot, i] { panelReplots[size_t(i)].push_back(plot->replotTime()); });
    }
    const int limit = panel->findChild<QSpinBox *>(QStringLiteral("epochs"))
                          ? panel->findChild<QSpinBox *>(QStringLiteral("epochs"))->value()
                          : INT_MAX;
    QElapsedTimer timer;
    timer.start();
    panel->togglePlay();
    // Drawn in each whole second of training: the run may reach its epoch limit (10^6 at "max") within the
    // measurement, and the second in which it stops is not counted.
    std::vector<int> perSecond;
    for (int second = 0; second < 3; ++second) {
        const int before = drawn;
        QTest::qWait(1000);
        if (panel->epochCount() >= limit)
            break;
        perSecond.push_back(drawn - before);
    }
    if (panel->epochCount() < limit)
        panel->togglePlay();
    const double s = timer.nsecsElapsed() / 1e9;
    double drawnRate = 0.0;
    for (int n : perSecond)
        drawnRate += double(n) / double(perSecond.size());
    std::printf("training played at full speed (speed slider at %s), real panel and plane, %.1f s: %.0f epochs drawn "
                "per second over %zu whole seconds, %.0f epochs shown by the panel per second, %d epochs trained "
                "(target >= 60 drawn/s)\n",
                speed ? "max" : "its default", s, drawnRate, perSecond.size(), changed / s, panel->epochCount());
    std::printf("  drawn in each second:");
    for (int n : perSecond)
        std::printf(" %d", n);
    std::printf("; the training panel's plots, replot ms first -> last:");
    for (const std::vector<double> &ms : panelReplots) {
        if (!ms.empty())
            std::printf(" %.1f -> %.1f (%zu);", ms.front(), ms.back(), ms.size());
    }
    std::printf("\n");
}

// Peak resident memory of this process so far (Linux), after the window has run at default and 512^2 settings.
void peakMemory()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmHWM:"))
            std::printf("peak memory (VmHWM, whole benchmark process): %s (target < 200 MB at default settings)\n",
                        line.mid(6).trimmed().constData());
    }
}

} // namespace

int main(int argc, char *argv[])
{
    ProfilingApplication app(argc, argv);
    if (argc > 1 && QByteArray(argv[1]) == "scrub") { // the GUI-thread figures alone, while working on them
        heatmapBreakdown();
        betaScrubEventLoop();
        trainingPlayback();
        return 0;
    }
    if (argc > 1 && QByteArray(argv[1]) == "loop") { // the event-loop scrub alone, for a profiler
        betaScrubEventLoop();
        return 0;
    }
    firstFrame();
    dragLatency();
    heatmapRecompute();
    betaChangeOnGuiThread();
    betaScrubEndToEnd();
    heatmapBreakdown();
    betaScrubEventLoop();
    trainingPlayback();
    peakMemory();
    return 0;
}

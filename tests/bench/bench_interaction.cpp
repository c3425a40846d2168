// Interactivity figures of the real window (offscreen): time to the first painted frame, drag-to-repaint
// latency of the latent panel, and heatmap recompute + replot per grid size. Printed, never asserted.
#include "latentpanel.h"
#include "mainwindow.h"
#include "math/fastfield.h"
#include "math/field.h"
#include "math/parallelblocks.h"
#include "observationplane.h"

#include <qcustomplot.h>

#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QMouseEvent>
#include <QSignalSpy>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

using namespace ebm;

namespace {

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
    QApplication app(argc, argv);
    firstFrame();
    dragLatency();
    heatmapRecompute();
    betaChangeOnGuiThread();
    betaScrubEndToEnd();
    peakMemory();
    return 0;
}

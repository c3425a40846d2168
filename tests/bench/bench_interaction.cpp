// Interactivity figures of the real window (offscreen): time to the first painted frame, drag-to-repaint
// latency of the latent panel, and heatmap recompute + replot per grid size. Printed, never asserted.
#include "latentpanel.h"
#include "mainwindow.h"
#include "math/field.h"
#include "observationplane.h"

#include <qcustomplot.h>

#include <QApplication>
#include <QElapsedTimer>
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
    window.show();
    applied.wait(30000);
    window.plane()->plot()->replot(QCustomPlot::rpImmediateRefresh);
    std::printf("first painted frame: %.1f ms (target < 500 ms)\n", timer.nsecsElapsed() / 1e6);
}

void dragLatency()
{
    MainWindow window;
    QSignalSpy applied(&window, &MainWindow::fieldApplied);
    window.show();
    applied.wait(30000);
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
    window.show();
    applied.wait(30000);
    const EllipseEbm model;
    const FieldRequest request{FieldKind::FreeEnergy, 1.0, 0.0};
    std::printf("heatmap F_beta, N = 48, reference path: grid, compute ms, copy + replot ms, total ms\n");
    for (int n : {256, 512, 1024}) {
        const Grid grid{-3, 3, -3, 3, n, n};
        QElapsedTimer timer;
        timer.start();
        const auto values = evaluateField(model, request, grid);
        const double computeMs = timer.nsecsElapsed() / 1e6;
        timer.restart();
        window.plane()->setField(grid, *values, QStringLiteral("F"));
        window.plane()->plot()->replot(QCustomPlot::rpImmediateRefresh);
        const double replotMs = timer.nsecsElapsed() / 1e6;
        std::printf("  %4d^2  %8.1f  %8.1f  %8.1f\n", n, computeMs, replotMs, computeMs + replotMs);
    }
}

void betaChangeOnGuiThread()
{
    MainWindow window;
    QSignalSpy applied(&window, &MainWindow::fieldApplied);
    window.show();
    applied.wait(30000);
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

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    firstFrame();
    dragLatency();
    heatmapRecompute();
    betaChangeOnGuiThread();
    return 0;
}

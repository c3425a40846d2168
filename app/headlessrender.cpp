#include "headlessrender.h"

#include "exporter.h"
#include "latentpanel.h"
#include "mainwindow.h"
#include "observationplane.h"
#include "repaintpacer.h"
#include "sectionpanel.h"
#include "trainingpanel.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QDockWidget>
#include <QEventLoop>
#include <QTimer>

#include <functional>

namespace ebm {

namespace {

constexpr int kPollMs = 5;

//! Spins the event loop (queued results of the model threads, layout and resize events) until \a done or the
//! deadline; a poll, not a sleep: the loop runs the whole time and returns as soon as the condition holds.
bool waitUntil(const std::function<bool()> &done, const QDeadlineTimer &deadline)
{
    if (done())
        return true;
    QEventLoop loop;
    QTimer poll;
    poll.setInterval(kPollMs);
    QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
        if (done() || deadline.hasExpired())
            loop.quit();
    });
    poll.start();
    loop.exec();
    return done();
}

bool isCurrent(const MainWindow &window, RenderView view)
{
    // The training run's start matters to every view: it brings the pull of each data point drawn on the plane.
    const TrainingPanel *training = window.trainingPanel();
    if (!window.fieldIsCurrent() || training->epochCount() < 1)
        return false;
    return view != RenderView::Training || training->hasLandscape();
}

QString waitForWindow(const MainWindow &window, const RenderInput &input)
{
    const QDeadlineTimer deadline(input.timeoutMs);
    const auto current = [&] { return isCurrent(window, input.what); };
    while (waitUntil(current, deadline)) {
        // Settled only if it stays current once the paced repaints have run: new tick labels on the
        // colour scale change the plot's margins, the equal-aspect plane then shows a little more or less, and the
        // window asks for the field over that.
        RepaintPacer::settle();
        if (current() && RepaintPacer::instance().pending() == 0)
            return {};
    }
    return QStringLiteral("the model threads did not finish within %1 s").arg(input.timeoutMs / 1000.0);
}

//! The part of the figure above the caption: the size the widget has on the window.
QSize contentSize(const RenderInput &input, const QWidget *target)
{
    return input.size - QSize(0, input.caption ? captionHeight(target) : 0);
}

ExportOptions exportOptions(const RenderInput &input)
{
    ExportOptions options;
    options.size = input.size;
    options.dpi = input.dpi;
    options.caption = input.caption;
    return options;
}

} // namespace

void useOffscreenPlatform()
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
}

QWidget *renderTarget(const MainWindow &window, RenderView view)
{
    switch (view) {
    case RenderView::Plane:
        return window.plane();
    case RenderView::Latent:
        return window.latentPanel();
    case RenderView::Section:
        return window.sectionPanel();
    case RenderView::Training:
        return window.trainingPanel();
    case RenderView::All:
        break;
    }
    return const_cast<MainWindow *>(&window);
}

QString prepareWindow(MainWindow &window, const RenderInput &input)
{
    QWidget *target = renderTarget(window, input.what);
    const QSize content = contentSize(input, target);
    if (input.what == RenderView::All) {
        window.resize(content);
    } else {
        // The panel gets exactly the figure's size, as if the window had been arranged so; the window grows
        // around it (its layout raises its minimum size).
        target->setFixedSize(content);
        if (input.what == RenderView::Training) {
            if (auto *dock = window.findChild<QDockWidget *>(QStringLiteral("training")))
                dock->raise(); // the tab in front, as when the person picks it
        }
    }
    window.show();
    if (input.session) {
        window.applySession(*input.session);
        return waitForWindow(window, input);
    }
    window.setState(input.state);
    window.plane()->setView(input.view.left(), input.view.right(), input.view.top(), input.view.bottom());
    if (input.customData)
        window.setData(input.data);
    return waitForWindow(window, input);
}

QString renderFigure(const RenderInput &input, const QString &path)
{
    MainWindow window;
    if (const QString error = prepareWindow(window, input); !error.isEmpty())
        return error;
    ExportOptions options = exportOptions(input);
    if (input.caption)
        options.captionText = provenanceCaption(window.state());
    return window.exportFigure(renderTarget(window, input.what), path, options);
}

QString renderBetaSweep(const RenderInput &input, const QString &directory, int frames, double fromBeta, double toBeta)
{
    MainWindow window;
    if (const QString error = prepareWindow(window, input); !error.isEmpty())
        return error;
    BetaSweep sweep;
    sweep.frames = frames;
    sweep.fromBeta = fromBeta;
    sweep.toBeta = toBeta;
    sweep.target = renderTarget(window, input.what);
    sweep.options = exportOptions(input);
    sweep.animation = false;
    // Each frame waits for its own field, so contour lines and arrows are those of its beta too.
    sweep.settle = [&] { return waitForWindow(window, input); };
    return window.exportBetaSweep(directory, sweep);
}

} // namespace ebm

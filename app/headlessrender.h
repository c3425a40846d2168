// What the window shows, without a display: a MainWindow built from a plain input, laid out at the figure's size,
// waited on until the model thread's field for its state is on screen, then written by File > Export's exporter.
#pragma once

#include "io/session.h"
#include "labstate.h"

#include <QRectF>
#include <QSize>
#include <QString>

#include <optional>
#include <vector>

class QWidget;

namespace ebm {

class MainWindow;

//! Which part of the window a figure shows.
enum class RenderView { Plane, Latent, Section, Training, All };

//! Everything a headless figure depends on, as plain values (a session file can fill one as well as options can).
struct RenderInput
{
    LabState state;
    std::vector<Vec2> data; //!< shown and trained on instead of the generated data set when customData
    bool customData = false;
    QRectF view{QPointF(-3.0, -3.0), QPointF(3.0, 3.0)}; //!< the plane's rectangle [x0, x1] x [y0, y1] (setView)
    RenderView what = RenderView::All;
    QSize size{1600, 1200}; //!< the figure in logical pixels (the panel's size on the window, caption included)
    double dpi = 96;        //!< PNG pixels = size x dpi / 96; the PDF page is size / dpi inches
    bool caption = false;   //!< the provenance caption under the figure
    int timeoutMs = 120000; //!< how long the model threads may take before the render fails
    //! a saved lab (File > Save Session): replaces state, data and view, and brings its training run back
    std::optional<Session> session;
};

//! \brief QT_QPA_PLATFORM=offscreen, so that a QApplication created afterwards needs no display
void useOffscreenPlatform();

//! \brief lays \a window out for \a input (the chosen panel at exactly input.size, the window at it for All), shows
//! it (offscreen), applies the state, view and data, and returns once the field and the training run's start (the
//! pulls drawn on the plane; for the training view also the loss landscape) of that state are on screen and stay
//! so; an error message when that takes longer than input.timeoutMs, else empty
QString prepareWindow(MainWindow &window, const RenderInput &input);

//! \brief the widget that shows \a view in \a window
QWidget *renderTarget(const MainWindow &window, RenderView view);

//! \brief writes the figure of \a input to \a path (.png, .pdf or .svg) exactly as File > Export would from a
//! window prepared by prepareWindow; an error message or empty. Needs a QApplication (on any platform).
QString renderFigure(const RenderInput &input, const QString &path);

//! \brief writes \a frames PNG frames (frame_0001.png, ...) of \a input for beta log-spaced from \a fromBeta to
//! \a toBeta into \a directory, each drawn once the model thread's field for its beta is on screen; error or empty
QString renderBetaSweep(const RenderInput &input, const QString &directory, int frames, double fromBeta, double toBeta);

} // namespace ebm

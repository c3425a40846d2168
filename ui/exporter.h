// Figures out of the window: any widget as PNG, PDF or SVG with an optional provenance caption, and animation
// frames. Every file is rendered in memory first and then written atomically, so a failure leaves no partial file.
#pragma once

#include "io/pytorchscript.h"
#include "math/ellipse.h"
#include "math/grid.h"

#include <QSize>
#include <QString>

#include <functional>
#include <vector>

class QWidget;

namespace ebm {

struct LabState;

struct ExportOptions
{
    //! The figure's size in logical pixels (96 per inch), caption included; empty: the widget's current size.
    QSize size;
    //! PNG: pixel density, the image has size × dpi / 96 pixels. PDF: the page is size / dpi inches.
    //! SVG: unused (the SVG is in logical pixels).
    double dpi = 96;
    bool caption = true;
    QString captionText; //!< drawn under the figure when caption is on and this is not empty
    //! Called once the widget is laid out at the figure's size, just before it is drawn (its signals are blocked
    //! meanwhile). A figure of another shape than the plane on screen shows more of the plane: this is where to fill
    //! its heatmap over plane->visibleRange().
    std::function<void()> prepare;
};

//! \brief renders \a widget into \a path; the format follows the suffix: .png (raster, HiDPI-correct), .pdf or .svg
//! (vector: text stays text, lines stay lines, the heatmap is a lossless image). Returns an error message or empty.
//!
//! The widget is laid out at the requested size for the duration of the call (resized, then restored with its axis
//! ranges; the signals of it and its child widgets blocked meanwhile), except a visible top-level window, which the
//! window manager owns: that one is drawn at its current size, scaled to fit and centred. Plots are drawn through
//! QCustomPlot's painter, not grabbed, so they stay sharp at any DPI and vector in PDF and SVG. GUI thread only.
QString exportWidget(QWidget *widget, const QString &path, const ExportOptions &options);

//! \brief the height in logical pixels of the caption strip that exportWidget adds under a figure of \a widget
int captionHeight(const QWidget *widget);

//! \brief one line of provenance, e.g. "EBM Lab 0.1.0 · w = (2, 1.5) · N = 48 · β = 1 · y = (1.2, 1.6) ·
//! data seed 0 (24 points, σ = 0.05)"
QString provenanceCaption(const LabState &state);

//! \brief the figure for "Export as PyTorch script": the state's model, field, beta and z* over \a grid (the field's
//! grid on screen), with \a data and the provenance caption
PyTorchFigure pytorchFigure(const LabState &state, const Grid &grid, const std::vector<Vec2> &data);

//! \brief the path of frame \a index (0-based) in \a directory: frame_0001.png for index 0
QString framePath(const QString &directory, int index, int count);

//! \brief creates \a directory and calls \a renderFrame(index, path) for index = 0 .. count-1 with the paths
//! frame_0001.png, …; renderFrame returns an error message or empty (exportWidget fits). Stops at the first error.
//! Frames left over from a longer earlier export into the same directory are removed, so the directory holds one
//! sequence. Returns an error message or empty.
QString exportFrames(const QString &directory, int count,
                     const std::function<QString(int index, QString path)> &renderFrame);

//! \brief the path of ffmpeg when it is on PATH, else empty (the encoder is optional)
QString findEncoder();

//! \brief encodes the frames that exportFrames wrote into \a outputPath, an animated GIF or an MP4 (H.264) by its
//! suffix. Needs ffmpeg (findEncoder); blocks until it is done, so call it off the GUI thread for long sequences.
//! The output appears atomically. Returns an error message or empty.
QString encodeAnimation(const QString &directory, const QString &outputPath, int framesPerSecond = 12);

} // namespace ebm

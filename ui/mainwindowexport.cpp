// File > Export: figures (PNG, PDF, SVG), the field and the data as CSV, a PyTorch script, beta-sweep frames.
#include "exportdialog.h"
#include "exporter.h"
#include "io/csvio.h"
#include "io/pytorchscript.h"
#include "latentpanel.h"
#include "mainwindow.h"
#include "math/fastfield.h"
#include "math/parallelblocks.h"
#include "observationplane.h"
#include "sectionpanel.h"

#include <QApplication>
#include <QDir>
#include <QFileDialog>
#include <QMessageBox>
#include <QStatusBar>

#include <cmath>

namespace ebm {

namespace {

} // namespace

// The field over what the plane shows right now, computed here: an export at another size widens the view,
// and the exported figure must not show area the model thread has not filled yet. The job is the window's own
// (the model of the family, its resolution), over the plane's present rectangle.
void MainWindow::fillVisibleField()
{
    const FieldJob job = jobFor(m_state, m_plane->visibleRange());
    std::optional<Eigen::MatrixXd> values;
    if (evaluateFieldJob(job, nullptr, values) && values)
        m_plane->setField(job.grid, *values, m_plane->property("fieldLabel").toString());
}

QString MainWindow::exportFigure(QWidget *target, const QString &path, ExportOptions options)
{
    if (target == m_plane || target == this)
        options.prepare = [this] { fillVisibleField(); };
    return exportWidget(target, path, options);
}

void MainWindow::showExportDialog()
{
    ExportDialog dialog(this);
    dialog.setTargetSize(ExportTarget::Window, size());
    dialog.setTargetSize(ExportTarget::Plane, m_plane->size());
    dialog.setTargetSize(ExportTarget::Latent, m_latentPanel->size());
    dialog.setTargetSize(ExportTarget::Section, m_sectionPanel->size());
    dialog.setCaptionText(provenanceCaption(m_state));
    dialog.setTarget(ExportTarget::Plane);
    if (dialog.exec() != QDialog::Accepted)
        return;
    QWidget *targets[] = {this, m_plane, m_latentPanel, m_sectionPanel};
    QApplication::setOverrideCursor(Qt::WaitCursor);
    const QString error = exportFigure(targets[int(dialog.target())], dialog.path(), dialog.options());
    QApplication::restoreOverrideCursor();
    reportExport(error, dialog.path());
}

void MainWindow::exportFieldCsv()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Export the field as CSV"), QStringLiteral("field.csv"),
                                                      tr("CSV files (*.csv)"));
    if (!path.isEmpty())
        reportExport(writeFieldCsv(path, m_displayedJob.grid, m_displayedValues), path);
}

void MainWindow::exportDataCsv()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Export the data as CSV"), QStringLiteral("data.csv"),
                                                      tr("CSV files (*.csv)"));
    if (!path.isEmpty())
        reportExport(writeDataCsv(path, m_data), path);
}

void MainWindow::exportPyTorchScript()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Export as a PyTorch script"),
                                                      QStringLiteral("ebm_figure.py"), tr("Python files (*.py)"));
    if (!path.isEmpty())
        reportExport(writePyTorchScript(path, pytorchFigure(m_state, m_displayedJob.grid, m_data)), path);
}

QString MainWindow::exportBetaSweep(const QString &directory, int frames, double fromBeta, double toBeta)
{
    BetaSweep sweep;
    sweep.frames = frames;
    sweep.fromBeta = fromBeta;
    sweep.toBeta = toBeta;
    return exportBetaSweep(directory, sweep);
}

QString MainWindow::exportBetaSweep(const QString &directory, const BetaSweep &sweep)
{
    const LabState before = m_state;
    QWidget *target = sweep.target ? sweep.target : m_plane;
    ExportOptions options = sweep.options;
    if (options.size.isEmpty())
        options.size = target->size();
    const int frames = sweep.frames;
    m_closing = false;
    QString error = exportFrames(directory, frames, [&](int index, const QString &path) {
        // A long sweep must not hold up closing the window: between frames the window takes its close event
        // (person input waits: nothing else may change the state mid-sweep).
        QCoreApplication::processEvents(QEventLoop::ExcludeUserInputEvents);
        if (m_closing)
            return tr("stopped: the window was closed");
        LabState s = before;
        s.zeroTemperature = false;
        const double t = frames > 1 ? double(index) / (frames - 1) : 0.0;
        s.beta = sweep.fromBeta * std::pow(sweep.toBeta / sweep.fromBeta, t); // evenly spaced in log beta
        setState(s);
        if (sweep.settle) {
            if (const QString problem = sweep.settle(); !problem.isEmpty())
                return problem;
        }
        options.captionText = provenanceCaption(s);
        return exportFigure(target, path, options);
    });
    setState(before);
    if (sweep.animation && error.isEmpty() && !m_closing && !findEncoder().isEmpty())
        error = encodeAnimation(directory, QDir(directory).filePath(QStringLiteral("beta-sweep.gif")));
    return error;
}

void MainWindow::exportBetaSweepFrames()
{
    const QString directory = QFileDialog::getExistingDirectory(this, tr("Frames of a β sweep into…"));
    if (directory.isEmpty())
        return;
    QApplication::setOverrideCursor(Qt::WaitCursor);
    const QString error = exportBetaSweep(directory, 60, 0.01, 100.0);
    QApplication::restoreOverrideCursor();
    reportExport(error, directory);
}

void MainWindow::reportExport(const QString &error, const QString &path)
{
    if (error.isEmpty())
        statusBar()->showMessage(tr("Wrote %1").arg(path), 5000);
    else
        QMessageBox::warning(this, tr("Export failed"), error); // nothing was written
}

} // namespace ebm

// The menus of the main window: File, View (layers), Lessons, Help; and the window-wide shortcuts.
#include "latentpanel.h"
#include "mainwindow.h"
#include "observationplane.h"

#include <QAction>
#include <QApplication>
#include <QMenuBar>
#include <QMessageBox>

namespace ebm {

void MainWindow::buildMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&Open data set (CSV)…"), QKeySequence::Open, this, &MainWindow::openDataset);
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, qApp, &QApplication::closeAllWindows);

    QMenu *view = menuBar()->addMenu(tr("&View"));
    const std::pair<QString, bool PlaneLayers::*> layers[] = {
        {tr("&Heatmap"), &PlaneLayers::heatmap},
        {tr("&Manifold g(z)"), &PlaneLayers::manifold},
        {tr("Sampled &latents g(zₖ)"), &PlaneLayers::latents},
        {tr("&Data points"), &PlaneLayers::data},
        {tr("&Observation y"), &PlaneLayers::observation},
        {tr("&Arrows −∇F"), &PlaneLayers::arrows},
        {tr("&Contour lines"), &PlaneLayers::contours},
        {tr("Level line F = &m (margin)"), &PlaneLayers::marginLevel},
        {tr("&Section line"), &PlaneLayers::section},
    };
    for (const auto &[text, member] : layers) {
        QAction *action = view->addAction(text);
        action->setCheckable(true);
        connect(action, &QAction::toggled, this, [this, member = member](bool on) {
            LabState s = m_state;
            s.layers.*member = on;
            setState(s);
        });
        m_layerActions.emplace_back(action, member);
    }
    QAction *byPosterior = view->addAction(tr("Latents sized by &P_β(z | y)"));
    byPosterior->setCheckable(true);
    byPosterior->setChecked(m_state.latentsByPosterior);
    connect(byPosterior, &QAction::toggled, this, [this](bool on) {
        LabState s = m_state;
        s.latentsByPosterior = on;
        setState(s);
    });
    view->addSeparator();
    view->addAction(tr("&Reset view"), QKeySequence(Qt::Key_Home), m_plane, &ObservationPlane::resetView);
    view->addAction(tr("&Colder (β × 10)"), QKeySequence(Qt::Key_BracketRight), this, [this] { stepBeta(10.0); });
    view->addAction(tr("&Warmer (β ÷ 10)"), QKeySequence(Qt::Key_BracketLeft), this, [this] { stepBeta(0.1); });

    QMenu *lessons = menuBar()->addMenu(tr("&Lessons"));
    for (int i = 0; i < static_cast<int>(m_lessons.size()); ++i)
        lessons->addAction(m_lessons[static_cast<size_t>(i)].title, this, [this, i] { applyLesson(i); });

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&Keyboard shortcuts"), this, [this] {
        QMessageBox::information(this, tr("Keyboard shortcuts"),
                                 tr("<table>"
                                    "<tr><td><b>Arrow keys</b></td><td>move the observation y (Shift: finer)</td></tr>"
                                    "<tr><td><b>]</b> / <b>[</b></td><td>β × 10 (colder) / β ÷ 10 (warmer)</td></tr>"
                                    "<tr><td><b>Home</b>, double-click</td><td>reset the view to [−3, 3]²</td></tr>"
                                    "<tr><td><b>Wheel</b> / <b>drag</b></td><td>zoom / pan (drag the orange handle "
                                    "to move y, the dashed line to move the section)</td></tr>"
                                    "<tr><td><b>Ctrl+O</b></td><td>open a data set</td></tr>"
                                    "</table>"));
    });
    help->addAction(tr("&About EBM Lab"), this, [this] {
        QMessageBox::about(this, tr("About EBM Lab"),
                           tr("<h3>EBM Lab %1</h3><p>Latent-variable energy-based models you can touch: "
                              "E(y, z) = ‖y − g(z)‖², F∞ = min_z E, F_β = −(1/β) log mean_z exp(−βE).</p>")
                               .arg(QApplication::applicationVersion()));
    });
}

} // namespace ebm

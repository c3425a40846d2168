// The menus of the main window: File, View (layers), Lessons, Help; and the window-wide shortcuts.
#include "latentpanel.h"
#include "mainwindow.h"
#include "observationplane.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QDialog>
#include <QDialogButtonBox>
#include <QMenuBar>
#include <QMessageBox>
#include <QTextBrowser>
#include <QUndoStack>
#include <QVBoxLayout>

namespace ebm {

void MainWindow::buildMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    buildSessionMenu(file);
    file->addAction(tr("Open &data set (CSV)…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O), this,
                    &MainWindow::openDataset);
    file->addSeparator();
    file->addAction(tr("&Export figure…"), QKeySequence(Qt::CTRL | Qt::Key_E), this, &MainWindow::showExportDialog);
    file->addAction(tr("Export the &field as CSV…"), this, &MainWindow::exportFieldCsv);
    file->addAction(tr("Export the &data as CSV…"), this, &MainWindow::exportDataCsv);
    file->addAction(tr("Export as a &PyTorch script…"), this, &MainWindow::exportPyTorchScript);
    file->addAction(tr("Export β-sweep &frames…"), this, &MainWindow::exportBetaSweepFrames);
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, qApp, &QApplication::closeAllWindows);

    QMenu *edit = menuBar()->addMenu(tr("&Edit"));
    QAction *undo = m_undo->createUndoAction(this, tr("&Undo"));
    undo->setShortcut(QKeySequence::Undo);
    QAction *redo = m_undo->createRedoAction(this, tr("&Redo"));
    redo->setShortcuts({QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z), QKeySequence::Redo});
    edit->addAction(undo);
    edit->addAction(redo);

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
            editState(s);
        });
        m_layerActions.emplace_back(action, member);
    }
    QAction *byPosterior = view->addAction(tr("Latents sized by &P_β(z | y)"));
    byPosterior->setCheckable(true);
    byPosterior->setChecked(m_state.latentsByPosterior);
    connect(byPosterior, &QAction::toggled, this, [this](bool on) {
        LabState s = m_state;
        s.latentsByPosterior = on;
        editState(s);
    });
    view->addSeparator();
    QMenu *themes = view->addMenu(tr("&Theme"));
    m_themeActions = new QActionGroup(this);
    for (Theme theme : {Theme::Light, Theme::Dark}) {
        QAction *action = themes->addAction(theme == Theme::Light ? tr("&Light") : tr("&Dark"));
        action->setCheckable(true);
        action->setChecked(theme == m_theme);
        action->setData(themeName(theme));
        m_themeActions->addAction(action);
        connect(action, &QAction::triggered, this, [this, theme] { setTheme(theme); });
    }
    view->addAction(tr("Compare &training…"), QKeySequence(Qt::CTRL | Qt::Key_T), this, [this] { showCompareView(); });
    QAction *present = view->addAction(tr("&Presentation mode"));
    present->setCheckable(true);
    present->setShortcut(QKeySequence(Qt::Key_F11));
    connect(present, &QAction::toggled, this, &MainWindow::setPresentationMode);
    view->addAction(tr("&Reset view"), QKeySequence(Qt::Key_Home), m_plane, &ObservationPlane::resetView);
    view->addAction(tr("&Colder (β × 10)"), QKeySequence(Qt::Key_BracketRight), this, [this] { stepBeta(10.0); });
    view->addAction(tr("&Warmer (β ÷ 10)"), QKeySequence(Qt::Key_BracketLeft), this, [this] { stepBeta(0.1); });

    QMenu *lessons = menuBar()->addMenu(tr("&Lessons"));
    // Presenter remotes send PageDown / PageUp.
    lessons->addAction(tr("&Next lesson"), QKeySequence(Qt::Key_PageDown), this,
                       [this] { applyLesson(std::min(m_currentLesson + 1, static_cast<int>(m_lessons.size()) - 1)); });
    lessons->addAction(tr("&Previous lesson"), QKeySequence(Qt::Key_PageUp), this,
                       [this] { applyLesson(std::max(m_currentLesson - 1, 0)); });
    lessons->addSeparator();
    for (int i = 0; i < static_cast<int>(m_lessons.size()); ++i)
        lessons->addAction(m_lessons[static_cast<size_t>(i)].title, this, [this, i] { applyLesson(i); });

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&Formulas"), QKeySequence::HelpContents, this, &MainWindow::showFormulas);
    help->addAction(tr("&Keyboard shortcuts"), this, [this] {
        QMessageBox::information(this, tr("Keyboard shortcuts"),
                                 tr("<table>"
                                    "<tr><td><b>Arrow keys</b></td><td>move the observation y (Shift: finer)</td></tr>"
                                    "<tr><td><b>]</b> / <b>[</b></td><td>β × 10 (colder) / β ÷ 10 (warmer)</td></tr>"
                                    "<tr><td><b>Home</b>, double-click</td><td>reset the view to [−3, 3]²</td></tr>"
                                    "<tr><td><b>Wheel</b> / <b>drag</b></td><td>zoom / pan (drag the orange handle "
                                    "to move y, the dashed line to move the section)</td></tr>"
                                    "<tr><td><b>Ctrl+O</b> / <b>Ctrl+S</b> / <b>Ctrl+Shift+S</b></td><td>open / "
                                    "save / save as a session (or drop a .json session or a .csv data set on "
                                    "the window)</td></tr>"
                                    "<tr><td><b>Ctrl+Shift+O</b></td><td>open a data set</td></tr>"
                                    "<tr><td><b>Ctrl+Z</b> / <b>Ctrl+Shift+Z</b></td><td>undo / redo</td></tr>"
                                    "<tr><td><b>F11</b></td><td>presentation mode</td></tr>"
                                    "<tr><td><b>Ctrl+T</b></td><td>compare two training runs</td></tr>"
                                    "<tr><td><b>PageDown</b> / <b>PageUp</b></td><td>next / previous lesson</td></tr>"
                                    "<tr><td><b>F1</b></td><td>the formulas</td></tr>"
                                    "</table>"));
    });
    help->addAction(tr("&About EBM Lab"), this, [this] {
        QMessageBox::about(this, tr("About EBM Lab"),
                           tr("<h3>EBM Lab %1</h3><p>Latent-variable energy-based models you can touch: "
                              "E(y, z) = ‖y − g(z)‖², F∞ = min_z E, F_β = −(1/β) log mean_z exp(−βE).</p>")
                               .arg(QApplication::applicationVersion()));
    });
}

void MainWindow::setTheme(Theme theme)
{
    if (theme == m_theme)
        return;
    applyTheme(this, m_theme, theme);
    m_theme = theme;
    for (QAction *action : m_themeActions->actions())
        action->setChecked(action->data().toString() == themeName(theme));
}

void MainWindow::showFormulas()
{
    auto *dialog = new QDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(tr("Formulas"));
    auto *text = new QTextBrowser;
    text->setHtml(
        tr("<h2>The ellipse latent-variable EBM</h2>"
           "<p><b>Decoder</b> g(z) = (w₁ cos z, w₂ sin z), the model manifold an ellipse.</p>"
           "<p><b>Energy</b> E(y, z) = (y₁ − w₁ cos z)² + (y₂ − w₂ sin z)² = ‖y − g(z)‖².</p>"
           "<p><b>Latents</b> Z_N = {2πk/N : k = 0 … N−1} (the lecture: N = 48, step π/24), or z over all of "
           "[0, 2π).</p>"
           "<p><b>Zero-temperature free energy</b> F∞(y) = min<sub>z</sub> E(y, z) = E(y, ž), "
           "ž = argmin<sub>z</sub> E(y, z) (ties: the smallest k).</p>"
           "<p><b>Free energy</b> F<sub>β</sub>(y) = −(1/β) log (1/N) Σ<sub>z</sub> exp(−β E(y, z)), by log-sum-exp; "
           "continuous: −(1/β) log (1/2π) ∫ exp(−β E(y, z)) dz.</p>"
           "<p>F∞ ≤ F<sub>β</sub> ≤ mean<sub>z</sub> E; β → ∞ gives F∞ (cold), β → 0 the mean energy (hot).</p>"
           "<p><b>Posterior</b> P<sub>β</sub>(z | y) = exp(−βE(y, z)) / Σ<sub>z′</sub> exp(−βE(y, z′)); "
           "<b>posterior mean</b> ȳ<sub>β</sub> = Σ<sub>z</sub> P<sub>β</sub>(z | y) g(z).</p>"
           "<p><b>Gradients</b> ∇<sub>y</sub>F<sub>β</sub> = 2(y − ȳ<sub>β</sub>); ∇<sub>y</sub>F∞ = 2(y − g(ž)); "
           "∂E/∂w₁ = −2(y₁ − w₁ cos z) cos z; ∂E/∂w₂ = −2(y₂ − w₂ sin z) sin z; "
           "∂F<sub>β</sub>/∂w = Σ<sub>z</sub> P<sub>β</sub>(z | y) ∂E/∂w. The arrows show −∇F.</p>"
           "<p><b>Circle check</b> (w₁ = w₂ = r, continuous z): F<sub>β</sub>(y) = |y|² + r² − (1/β) log "
           "I₀(2βr|y|), F∞(y) = (|y| − r)².</p>"
           "<h2>Data</h2>"
           "<p>y = (ρ₁ cos θ + ε₁, ρ₂ sin θ + ε₂), θ ~ U[0, 2π), ε ~ N(0, σ²), σ = 1/20; "
           "ρ(x) = (1.5x + 2(1 − x), 2x + 1.5(1 − x)) e<sup>2x</sup>, x = 0 gives ρ = (2, 1.5).</p>"
           "<h2>Losses (margin m, data y̌, negative ŷ)</h2>"
           "<p>energy F(y̌); hinge [F(y̌) − F(ŷ) + m]⁺; log log(1 + exp(F(y̌) − F(ŷ))); "
           "simple [F(y̌)]⁺ + [m − F(ŷ)]⁺; square-square ([F(y̌)]⁺)² + ([m − F(ŷ)]⁺)²; "
           "NLL F(y̌) + (1/β) log Σ<sub>y′</sub> exp(−β F(y′)).</p>"));
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::close);
    auto *layout = new QVBoxLayout(dialog);
    layout->addWidget(text);
    layout->addWidget(buttons);
    dialog->resize(820, 720);
    dialog->show();
}

} // namespace ebm

#include "modelcontrols.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QTimer>
#include <QVBoxLayout>

#include <limits>

namespace ebm {

namespace {

constexpr int kMaxSeed = std::numeric_limits<int>::max();

} // namespace

ModelControls::ModelControls(QWidget *parent)
    : QWidget(parent)
    , m_model(new QComboBox)
    , m_kmeansBox(new QGroupBox(tr("K-means")))
    , m_sparseBox(new QGroupBox(tr("Sparse coding")))
    , m_clusters(new QSpinBox)
    , m_kmeansSeed(new QSpinBox)
    , m_atoms(new QSpinBox)
    , m_alpha(new QDoubleSpinBox)
    , m_sparseSeed(new QSpinBox)
    , m_rate(new QDoubleSpinBox)
    , m_reinitialise(new QPushButton(tr("Re-initialise")))
    , m_step(new QPushButton)
    , m_play(new QPushButton(tr("▶ Play")))
    , m_timer(new QTimer(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *modelBox = new QGroupBox(tr("Energy-based model"));
    auto *modelForm = new QFormLayout(modelBox);
    m_model->addItem(tr("Ellipse (z ∈ [0, 2π))"), int(ModelKind::Ellipse));
    m_model->addItem(tr("K-means (one-hot z)"), int(ModelKind::KMeans));
    m_model->addItem(tr("Sparse coding (z ∈ ℝᵈ)"), int(ModelKind::SparseCoding));
    m_model->setToolTip(tr("The same recipe, E(y, z) = C(y, Dec(z)) + R(z), for each model of the lecture"));
    modelForm->addRow(tr("EBM"), m_model);
    layout->addWidget(modelBox);

    auto *kmeansForm = new QFormLayout(m_kmeansBox);
    m_clusters->setRange(1, family::kMaxClusters);
    m_clusters->setToolTip(tr("K centroids, drawn from K distinct data points"));
    m_kmeansSeed->setRange(0, kMaxSeed);
    kmeansForm->addRow(tr("K"), m_clusters);
    kmeansForm->addRow(tr("seed"), m_kmeansSeed);
    layout->addWidget(m_kmeansBox);

    auto *sparseForm = new QFormLayout(m_sparseBox);
    m_atoms->setRange(1, family::kMaxAtoms);
    m_atoms->setToolTip(tr("d unit-norm atoms of the dictionary W (3 × d, acting on ẏ = (1, y))"));
    m_alpha->setRange(0.0, family::kMaxAlpha);
    m_alpha->setDecimals(3);
    m_alpha->setSingleStep(0.01);
    m_alpha->setToolTip(tr("α of the regulariser α‖z‖₁"));
    m_sparseSeed->setRange(0, kMaxSeed);
    m_rate->setRange(0.001, 10.0);
    m_rate->setDecimals(3);
    m_rate->setSingleStep(0.01);
    m_rate->setValue(0.1);
    m_rate->setToolTip(tr("learning rate η of W ← normalise(W − η mean ∂E/∂W)"));
    sparseForm->addRow(tr("atoms d"), m_atoms);
    sparseForm->addRow(tr("α"), m_alpha);
    sparseForm->addRow(tr("seed"), m_sparseSeed);
    sparseForm->addRow(tr("η"), m_rate);
    layout->addWidget(m_sparseBox);

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_reinitialise);
    buttons->addWidget(m_step);
    buttons->addWidget(m_play);
    layout->addLayout(buttons);
    m_play->setCheckable(true);
    m_timer->setInterval(kStepIntervalMs);

    connect(m_model, &QComboBox::currentIndexChanged, this, [this] { edited(false); });
    for (QSpinBox *box : {m_clusters, m_kmeansSeed, m_atoms, m_sparseSeed})
        connect(box, &QSpinBox::valueChanged, this, [this] { edited(true); });
    connect(m_alpha, &QDoubleSpinBox::valueChanged, this, [this] { edited(false); });
    connect(m_reinitialise, &QPushButton::clicked, this, [this] { edited(true); });
    connect(m_step, &QPushButton::clicked, this, &ModelControls::stepRequested);
    connect(m_play, &QPushButton::toggled, this, &ModelControls::setPlaying);
    connect(m_timer, &QTimer::timeout, this, &ModelControls::stepRequested);
    syncVisible();
}

void ModelControls::setState(const LabState &state)
{
    m_state = state;
    m_updating = true;
    m_model->setCurrentIndex(m_model->findData(int(state.modelKind)));
    m_clusters->setValue(state.kmeans.k);
    m_kmeansSeed->setValue(static_cast<int>(std::min<std::uint64_t>(state.kmeans.seed, kMaxSeed)));
    m_atoms->setValue(state.sparse.atoms);
    m_alpha->setValue(state.sparse.alpha);
    m_sparseSeed->setValue(static_cast<int>(std::min<std::uint64_t>(state.sparse.seed, kMaxSeed)));
    m_updating = false;
    syncVisible();
}

void ModelControls::edited(bool redraw)
{
    if (m_updating)
        return;
    LabState s = m_state;
    s.modelKind = static_cast<ModelKind>(m_model->currentData().toInt());
    s.kmeans.k = m_clusters->value();
    s.kmeans.seed = static_cast<std::uint64_t>(m_kmeansSeed->value());
    s.sparse.atoms = m_atoms->value();
    s.sparse.alpha = m_alpha->value();
    s.sparse.seed = static_cast<std::uint64_t>(m_sparseSeed->value());
    // A new K, d or seed, or Re-initialise: the parameters are drawn again (the window fills empty ones in).
    if (redraw && s.modelKind == ModelKind::KMeans)
        s.kmeans.centroids.clear();
    if (redraw && s.modelKind == ModelKind::SparseCoding)
        s.sparse.dictionary.clear();
    if (s.modelKind != m_state.modelKind)
        setPlaying(false);
    syncVisible();
    emit stateEdited(s);
}

void ModelControls::syncVisible()
{
    const auto kind = static_cast<ModelKind>(m_model->currentData().toInt());
    m_kmeansBox->setVisible(kind == ModelKind::KMeans);
    m_sparseBox->setVisible(kind == ModelKind::SparseCoding);
    const bool family = kind != ModelKind::Ellipse;
    m_reinitialise->setVisible(family);
    m_step->setVisible(family);
    m_play->setVisible(family);
    m_step->setText(kind == ModelKind::KMeans ? tr("Lloyd step") : tr("Training step"));
    m_step->setToolTip(kind == ModelKind::KMeans ? tr("assign every point to its nearest centroid, then move each "
                                                      "centroid to the mean of its points")
                                                 : tr("one gradient step on W, then every atom renormalised"));
}

void ModelControls::setPlaying(bool playing)
{
    {
        const QSignalBlocker blocker(m_play);
        m_play->setChecked(playing);
    }
    m_play->setText(playing ? tr("⏸ Pause") : tr("▶ Play"));
    if (playing)
        m_timer->start();
    else
        m_timer->stop();
}

bool ModelControls::isPlaying() const
{
    return m_timer->isActive();
}

double ModelControls::learningRate() const
{
    return m_rate->value();
}

} // namespace ebm

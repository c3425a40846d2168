#include "parameterpanel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QPushButton>
#include <QSlider>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace ebm {

namespace {

// The slider moves log10(beta) from -3 to 3 in hundredths of a decade.
constexpr int kSliderSteps = 600;
// The semi-axes a person types: the lecture's data reach rho = 2 e^2 ~ 14.8 (x = 1), so 10 was too tight.
constexpr double kMaxTypedW = 100.0;

int sliderFromBeta(double beta)
{
    return static_cast<int>(std::lround((std::log10(beta) + 3.0) * 100.0));
}

double betaFromSlider(int position)
{
    return std::pow(10.0, position / 100.0 - 3.0);
}

QDoubleSpinBox *numberBox(double lo, double hi, double step, int decimals, const QString &tip)
{
    auto *box = new QDoubleSpinBox;
    box->setRange(lo, hi);
    box->setSingleStep(step);
    box->setDecimals(decimals);
    box->setKeyboardTracking(false); // typing "1.25" is one change, not four
    box->setToolTip(tip);
    return box;
}

// A value the person cannot type may still arrive (training moves w wherever the gradient goes): the box widens to
// show it as it is rather than a clamped number the model does not use.
void showValue(QDoubleSpinBox *box, double value)
{
    if (std::isfinite(value) && (value < box->minimum() || value > box->maximum()))
        box->setRange(std::min(box->minimum(), value), std::max(box->maximum(), value));
    box->setValue(value);
}

QGroupBox *group(const QString &title, QFormLayout *&form)
{
    auto *box = new QGroupBox(title);
    form = new QFormLayout(box);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    return box;
}

} // namespace

ParameterPanel::ParameterPanel(QWidget *parent)
    : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    QFormLayout *form = nullptr;
    layout->addWidget(group(tr("Temperature"), form));
    buildTemperature(form);
    layout->addWidget(group(tr("Model"), form));
    buildModel(form);
    layout->addWidget(group(tr("Display"), form));
    buildDisplay(form);
    layout->addWidget(group(tr("Data"), form));
    buildData(form);
    layout->addStretch(1);
    setState(m_state);
}

void ParameterPanel::buildTemperature(QFormLayout *form)
{
    m_betaSlider = new QSlider(Qt::Horizontal);
    m_betaSlider->setRange(0, kSliderSteps);
    m_betaSlider->setToolTip(tr("Inverse temperature β on a logarithmic scale, 10⁻³ … 10³.\n"
                                "F_β(y) = −(1/β) log (1/N) Σ_z exp(−β E(y, z))\n"
                                "Keys: ] colder (β × 10), [ warmer (β ÷ 10)."));
    m_betaBox = numberBox(1e-3, 1e3, 0.1, 4, m_betaSlider->toolTip());
    m_zeroTemperature = new QCheckBox(tr("zero temperature (β = ∞)"));
    m_zeroTemperature->setToolTip(tr("The exact cold limit: F∞(y) = min_z E(y, z), ž = argmin_z E(y, z)"));
    auto *row = new QHBoxLayout;
    row->addWidget(m_betaSlider, 1);
    row->addWidget(m_betaBox);
    form->addRow(tr("β"), row);
    form->addRow(QString(), m_zeroTemperature);

    connect(m_betaSlider, &QSlider::valueChanged, this, [this](int position) {
        if (m_updating)
            return;
        m_state.beta = betaFromSlider(position);
        edited();
    });
    connect(m_betaBox, &QDoubleSpinBox::valueChanged, this, [this](double beta) {
        if (m_updating)
            return;
        m_state.beta = beta;
        edited();
    });
    connect(m_zeroTemperature, &QCheckBox::toggled, this, [this](bool on) {
        if (m_updating)
            return;
        m_state.zeroTemperature = on;
        edited();
    });
}

void ParameterPanel::buildModel(QFormLayout *form)
{
    const QString decoder = tr("Decoder g(z) = (w₁ cos z, w₂ sin z); E(y, z) = ‖y − g(z)‖²");
    m_w1 = numberBox(-kMaxTypedW, kMaxTypedW, 0.05, 3, decoder);
    m_w2 = numberBox(-kMaxTypedW, kMaxTypedW, 0.05, 3, decoder);
    form->addRow(tr("w₁"), m_w1);
    form->addRow(tr("w₂"), m_w2);
    m_latents = new QSpinBox;
    m_latents->setRange(4, 1024);
    m_latents->setKeyboardTracking(false);
    m_latents->setToolTip(tr("N sampled latents Z_N = {2πk/N : k = 0 … N−1}; the lecture uses N = 48 (step π/24)"));
    m_continuous = new QCheckBox(tr("continuous z"));
    m_continuous->setToolTip(tr("z over all of [0, 2π): F∞ is the exact squared distance to the ellipse,\n"
                                "F_β = −(1/β) log (1/2π) ∫ exp(−β E(y, z)) dz by adaptive quadrature"));
    auto *row = new QHBoxLayout;
    row->addWidget(m_latents, 1);
    row->addWidget(m_continuous);
    form->addRow(tr("N"), row);
    m_margin = numberBox(0.0, 100.0, 0.1, 2,
                         tr("Margin m of the contrastive losses, e.g. hinge [F(y̌) − F(ŷ) + m]⁺;\n"
                            "drawn as the level line F = m"));
    form->addRow(tr("margin m"), m_margin);

    auto onNumber = [this](double *target) {
        return [this, target](double v) {
            if (m_updating)
                return;
            *target = v;
            edited();
        };
    };
    connect(m_w1, &QDoubleSpinBox::valueChanged, this, onNumber(&m_state.w.w1));
    connect(m_w2, &QDoubleSpinBox::valueChanged, this, onNumber(&m_state.w.w2));
    connect(m_margin, &QDoubleSpinBox::valueChanged, this, onNumber(&m_state.margin));
    connect(m_latents, &QSpinBox::valueChanged, this, [this](int n) {
        if (m_updating)
            return;
        m_state.latentCount = n;
        edited();
    });
    connect(m_continuous, &QCheckBox::toggled, this, [this](bool on) {
        if (m_updating)
            return;
        m_state.continuousLatent = on;
        edited();
    });
}

void ParameterPanel::buildDisplay(QFormLayout *form)
{
    m_field = new QComboBox;
    m_field->addItem(tr("free energy F_β(y)"), int(FieldKind::FreeEnergy));
    m_field->addItem(tr("zero-temperature F∞(y)"), int(FieldKind::ZeroTemperature));
    m_field->addItem(tr("energy E(y, z*)"), int(FieldKind::Energy));
    m_field->addItem(tr("posterior P_β(z* | y)"), int(FieldKind::Posterior));
    m_field->setToolTip(tr("F_β = −(1/β) log mean_z exp(−βE);  F∞ = min_z E;  E(y, z*) for one latent z*;\n"
                           "P_β(z* | y) = exp(−βE(y, z*)) / Σ_z exp(−βE(y, z))"));
    form->addRow(tr("field"), m_field);
    m_zStar = numberBox(0.0, 6.2832, 0.1309, 4,
                        tr("The latent z* of E(y, z*) and P_β(z* | y), snapped to the "
                           "nearest sampled z"));
    form->addRow(tr("z*"), m_zStar);
    m_colorMap = new QComboBox;
    for (ColorMap map : {ColorMap::Viridis, ColorMap::Cividis, ColorMap::ColdToHot})
        m_colorMap->addItem(colorMapName(map), int(map));
    m_colorMap->setToolTip(tr("Viridis and cividis are perceptually uniform; cold-to-hot is the lecture's"));
    form->addRow(tr("colours"), m_colorMap);
    m_resolution = new QComboBox;
    for (int cells : {100, 200, 300, 500, 800})
        m_resolution->addItem(tr("%1 cells").arg(cells), cells);
    m_resolution->setToolTip(tr("Heatmap cells along the longer side of the view"));
    form->addRow(tr("grid"), m_resolution);

    connect(m_field, &QComboBox::currentIndexChanged, this, [this] {
        if (m_updating)
            return;
        m_state.field = static_cast<FieldKind>(m_field->currentData().toInt());
        edited();
    });
    connect(m_zStar, &QDoubleSpinBox::valueChanged, this, [this](double z) {
        if (m_updating)
            return;
        m_state.zStar = z;
        edited();
    });
    connect(m_colorMap, &QComboBox::currentIndexChanged, this, [this] {
        if (m_updating)
            return;
        m_state.colorMap = static_cast<ColorMap>(m_colorMap->currentData().toInt());
        edited();
    });
    connect(m_resolution, &QComboBox::currentIndexChanged, this, [this] {
        if (m_updating)
            return;
        m_state.resolution = m_resolution->currentData().toInt();
        edited();
    });
}

void ParameterPanel::buildData(QFormLayout *form)
{
    m_seed = new QSpinBox;
    m_seed->setRange(0, 999999);
    m_seed->setToolTip(tr("Seed of the generator: the same seed gives the same points on every machine"));
    m_count = new QSpinBox;
    m_count->setRange(1, 2000);
    m_count->setToolTip(tr("Number of samples y = (ρ₁ cos θ + ε₁, ρ₂ sin θ + ε₂), θ ~ U[0, 2π)"));
    m_noise = numberBox(0.0, 2.0, 0.01, 3, tr("σ of the noise ε ~ N(0, σ²); the lecture uses 1/20"));
    m_regenerate = new QPushButton(tr("Regenerate"));
    m_regenerate->setToolTip(tr("Draw the data set again with these settings"));
    form->addRow(tr("seed"), m_seed);
    form->addRow(tr("count"), m_count);
    form->addRow(tr("noise σ"), m_noise);
    form->addRow(QString(), m_regenerate);
    connect(m_regenerate, &QPushButton::clicked, this, [this] {
        m_state.dataset.seed = static_cast<std::uint64_t>(m_seed->value());
        m_state.dataset.count = m_count->value();
        m_state.dataset.noise = m_noise->value();
        emit regenerateRequested(m_state);
    });
}

void ParameterPanel::setState(const LabState &state)
{
    m_updating = true;
    m_state = state;
    m_betaSlider->setValue(sliderFromBeta(std::clamp(state.beta, 1e-3, 1e3)));
    m_betaBox->setValue(state.beta);
    m_zeroTemperature->setChecked(state.zeroTemperature);
    showValue(m_w1, state.w.w1);
    showValue(m_w2, state.w.w2);
    m_latents->setValue(state.latentCount);
    m_continuous->setChecked(state.continuousLatent);
    m_margin->setValue(state.margin);
    m_field->setCurrentIndex(m_field->findData(int(state.field)));
    m_zStar->setValue(state.zStar);
    m_colorMap->setCurrentIndex(m_colorMap->findData(int(state.colorMap)));
    const int resolution = m_resolution->findData(state.resolution);
    m_resolution->setCurrentIndex(resolution >= 0 ? resolution : 2);
    m_seed->setValue(static_cast<int>(state.dataset.seed % 1000000));
    m_count->setValue(state.dataset.count);
    m_noise->setValue(state.dataset.noise);
    syncEnabled();
    m_updating = false;
}

void ParameterPanel::edited()
{
    setState(m_state); // one control moved: the others that show the same number follow
    emit stateEdited(m_state);
}

void ParameterPanel::syncEnabled()
{
    // The ellipse's own parameters mean nothing to K-means or sparse coding (their controls are in ModelControls);
    // sparse coding has only F_inf, so neither beta nor the field applies to it.
    const bool ellipse = m_state.modelKind == ModelKind::Ellipse;
    const bool sparse = m_state.modelKind == ModelKind::SparseCoding;
    m_betaSlider->setEnabled(!m_state.zeroTemperature && !sparse);
    m_betaBox->setEnabled(!m_state.zeroTemperature && !sparse);
    m_zeroTemperature->setEnabled(!sparse);
    m_field->setEnabled(!sparse);
    m_w1->setEnabled(ellipse);
    m_w2->setEnabled(ellipse);
    m_continuous->setEnabled(ellipse);
    m_latents->setEnabled(!m_state.continuousLatent && ellipse);
    m_zStar->setEnabled(ellipse && (m_state.field == FieldKind::Energy || m_state.field == FieldKind::Posterior));
}

} // namespace ebm

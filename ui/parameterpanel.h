// The controls of the model and the display; edits a LabState and says so.
#pragma once

#include "labstate.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QFormLayout;
class QDoubleSpinBox;
class QLabel;
class QPushButton;
class QSlider;
class QSpinBox;

namespace ebm {

class ParameterPanel : public QWidget
{
    Q_OBJECT
public:
    explicit ParameterPanel(QWidget *parent = nullptr);

    //! Shows \a state in every control without emitting anything.
    void setState(const LabState &state);
    const LabState &state() const { return m_state; }

    // The controls, for tests that click and type like a person.
    QSlider *betaSlider() const { return m_betaSlider; }
    QDoubleSpinBox *betaBox() const { return m_betaBox; }
    QCheckBox *zeroTemperatureBox() const { return m_zeroTemperature; }
    QDoubleSpinBox *w1Box() const { return m_w1; }
    QDoubleSpinBox *w2Box() const { return m_w2; }
    QSpinBox *latentsBox() const { return m_latents; }
    QCheckBox *continuousBox() const { return m_continuous; }
    QComboBox *fieldBox() const { return m_field; }
    QPushButton *regenerateButton() const { return m_regenerate; }

signals:
    //! A control changed \a state (the whole new state, ready to apply).
    void stateEdited(const ebm::LabState &state);
    //! The data set should be drawn anew from the state's dataset spec (the seed may be the same).
    void regenerateRequested(const ebm::LabState &state);

private:
    void buildTemperature(QFormLayout *form);
    void buildModel(QFormLayout *form);
    void buildDisplay(QFormLayout *form);
    void buildData(QFormLayout *form);
    void edited();
    void syncEnabled();

    LabState m_state;
    bool m_updating = false;
    QSlider *m_betaSlider;
    QDoubleSpinBox *m_betaBox;
    QCheckBox *m_zeroTemperature;
    QDoubleSpinBox *m_w1, *m_w2, *m_margin, *m_zStar;
    QSpinBox *m_latents;
    QCheckBox *m_continuous;
    QComboBox *m_field, *m_colorMap, *m_resolution;
    QSpinBox *m_seed, *m_count;
    QDoubleSpinBox *m_noise;
    QPushButton *m_regenerate;
};

} // namespace ebm

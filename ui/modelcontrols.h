// The Model group (issue #7): which EBM of the family the window shows, and each model's own controls:
// K-means' K, seed, re-initialise, one Lloyd step, play; sparse coding's d, alpha, seed, re-initialise, learning
// rate, one training step, play. Edits a LabState and says so; the steps themselves are the window's (it has data).
#pragma once

#include "labstate.h"

#include <QWidget>

class QComboBox;
class QDoubleSpinBox;
class QGroupBox;
class QPushButton;
class QSpinBox;
class QTimer;

namespace ebm {

class ModelControls : public QWidget
{
    Q_OBJECT
public:
    explicit ModelControls(QWidget *parent = nullptr);

    //! Shows \a state without emitting anything.
    void setState(const LabState &state);
    //! Starts or stops the animation (one step per tick).
    void setPlaying(bool playing);
    bool isPlaying() const;
    //! Sparse coding's learning rate eta for a training step.
    double learningRate() const;

    // For tests that click like a person.
    QComboBox *modelBox() const { return m_model; }
    QSpinBox *clustersBox() const { return m_clusters; }
    QSpinBox *atomsBox() const { return m_atoms; }
    QDoubleSpinBox *alphaBox() const { return m_alpha; }
    QPushButton *stepButton() const { return m_step; }
    QPushButton *playButton() const { return m_play; }
    QPushButton *reinitialiseButton() const { return m_reinitialise; }

    //! Milliseconds between animated steps.
    static constexpr int kStepIntervalMs = 450;

signals:
    void stateEdited(const ebm::LabState &state);
    //! One Lloyd step (K-means) or one training step (sparse coding) on the window's data.
    void stepRequested();

private:
    void edited(bool redraw);
    void syncVisible();

    LabState m_state;
    bool m_updating = false;
    QComboBox *m_model;
    QGroupBox *m_kmeansBox;
    QGroupBox *m_sparseBox;
    QSpinBox *m_clusters;
    QSpinBox *m_kmeansSeed;
    QSpinBox *m_atoms;
    QDoubleSpinBox *m_alpha;
    QSpinBox *m_sparseSeed;
    QDoubleSpinBox *m_rate;
    QPushButton *m_reinitialise;
    QPushButton *m_step;
    QPushButton *m_play;
    QTimer *m_timer;
};

} // namespace ebm

// Compare training: two configurations side by side on the same data from the same start, advanced together epoch
// by epoch (play / pause / step / reset act on both; the slower sets the pace), with one timeline to scrub both.
#pragma once

#include "comparepreset.h"
#include "engine/locksteptraining.h"

#include <QWidget>

class QCheckBox;
class QLabel;
class QPushButton;
class QSlider;
class QSpinBox;

namespace ebm {

class CompareSide;

class CompareView : public QWidget
{
    Q_OBJECT
public:
    explicit CompareView(QWidget *parent = nullptr);

    //! The data both runs train on, their latents and the shared start w_0; restarts both at epoch 0.
    void setProblem(const std::vector<Vec2> &data, const LatentSpec &latents, const EllipseParams &start);
    //! Sets both runs up as \a preset says (restarting them, paused) and shows its explanation.
    void applyPreset(const ComparePreset &preset);

    LockstepTraining *lockstep() const { return m_lockstep; }
    CompareSide *side(int index) const { return m_sides[size_t(index)]; }
    //! The epoch the timeline shows (the newest common epoch while following the run).
    int shownEpoch() const;
    bool isFollowing() const { return m_following; }
    QString explanation() const;

public slots:
    void togglePlay();
    void stepOnce();
    void resetRuns();

private:
    QWidget *buildTransport();
    void onAdvanced();
    void onTimelineMoved(int epoch);
    void showEpoch(int epoch);
    void applySpeed();
    void updatePlayButton();

    LockstepTraining *m_lockstep;
    std::array<CompareSide *, LockstepTraining::kSides> m_sides{};
    bool m_following = true;
    bool m_haveProblem = false;

    QLabel *m_explanation;
    QPushButton *m_play;
    QPushButton *m_step;
    QPushButton *m_reset;
    QSlider *m_speed;
    QLabel *m_speedLabel;
    QSpinBox *m_epochs;
    QCheckBox *m_heatmap;
    QSlider *m_timeline;
    QLabel *m_timelineLabel;
    QLabel *m_status;
};

} // namespace ebm

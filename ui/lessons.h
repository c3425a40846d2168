// The Lessons menu: presets that set up, in order, the figures of the lecture.
#pragma once

#include "comparepreset.h"
#include "labstate.h"

#include <QString>

#include <functional>
#include <optional>
#include <vector>

namespace ebm {

struct Lesson
{
    QString title;       //!< menu text, numbered in lecture order
    QString explanation; //!< one or two sentences shown above the plane
    //! Turns the current state into the lesson's; \a data is the data set on screen.
    std::function<void(LabState &state, const std::vector<Vec2> &data)> setUp;
    //! Training side by side: the window opens the compare view set up like this.
    std::optional<ComparePreset> compare = std::nullopt;
};

//! \brief the lecture's figures in order: one sample's energy over z, F_inf with arrows, the exp(-beta E)
//! weights for three observations, warming up, the cross-section at y1 = 0, then training compared side by side:
//! zero temperature vs marginalised, and hinge with a margin vs log
std::vector<Lesson> lectureLessons();

} // namespace ebm

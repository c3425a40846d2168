// The Lessons menu: presets that set up, in order, the figures of the lecture.
#pragma once

#include "labstate.h"

#include <QString>

#include <functional>
#include <vector>

namespace ebm {

struct Lesson
{
    QString title;       //!< menu text, numbered in lecture order
    QString explanation; //!< one or two sentences shown above the plane
    //! Turns the current state into the lesson's; \a data is the data set on screen.
    std::function<void(LabState &state, const std::vector<Vec2> &data)> setUp;
};

//! \brief the lecture's figures in order: one sample's energy over z, F_inf with arrows, the exp(-beta E)
//! weights for three observations, warming up, and the cross-section at y1 = 0
std::vector<Lesson> lectureLessons();

} // namespace ebm

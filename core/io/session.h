// A session: everything needed to bring a lab back exactly, as a versioned JSON file. Reading validates every
// value against the same limits as the window's controls and the command line, and names the first problem.
#pragma once

#include "math/ellipse.h"
#include "math/losses.h"
#include "math/trainer.h"
#include "state/labstate.h"

#include <QByteArray>
#include <QString>

#include <cstdint>
#include <optional>
#include <vector>

namespace ebm {

struct Session
{
    LabState state;
    std::vector<Vec2> data;  //!< the data set on screen
    bool customData = false; //!< true when the data came from a file (state.dataset does not regenerate them)
    ViewBox view;            //!< the rectangle of the plane asked for (the axes may show more, to keep aspect 1)
    TrainingConfig training;
    std::vector<TracePoint> trace; //!< epochs 0, 1, 2, ... without gaps (may be empty)
    int lesson = -1;               //!< the lesson whose banner is shown, or -1

    bool operator==(const Session &) const = default;
};

//! What "ebmlab-session" files promise, and the limits a reader holds them to.
namespace session {
constexpr int kVersion = 1;
inline constexpr char kFormat[] = "ebmlab-session";
constexpr double kMaxMagnitude = 1e6; //!< coordinates, w and view bounds (the command line's kMaxMagnitude)
constexpr qsizetype kMaxDataPoints = 100000;
constexpr qsizetype kMaxTraceRows = 1000000;
constexpr qsizetype kMaxFileBytes = 128 * 1024 * 1024; //!< a full trace is about 80 MB
constexpr int kMaxLesson = 1000;
} // namespace session

//! \brief the session as an indented UTF-8 JSON document {"format": "ebmlab-session", "version": 1, ...}; finite
//! doubles are written in the shortest form that reads back bit-identically (but -0 reads back as 0: Qt's JSON
//! keeps no sign of zero)
QByteArray sessionToJson(const Session &session);

//! \brief the session in \a json, or none with *error naming the problem and its key path (e.g. "state.beta must
//! be a number in [0.001, 1000], not -1"): malformed JSON, a wrong format tag, a newer version, a missing key, a
//! wrong type, a non-finite or out-of-range number, an unknown name, an oversized array
std::optional<Session> sessionFromJson(const QByteArray &json, QString *error = nullptr);

//! \brief writes sessionToJson(\a session) to \a path atomically (no partial file on failure); an error or empty
QString writeSession(const QString &path, const Session &session);

//! \brief reads and validates the session file at \a path (at most session::kMaxFileBytes); none with *error set
std::optional<Session> readSession(const QString &path, QString *error = nullptr);

} // namespace ebm

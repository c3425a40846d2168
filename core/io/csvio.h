// Reading and writing the project's CSV files; every write is atomic (QSaveFile).
#pragma once

#include "math/ellipse.h"
#include "math/grid.h"

#include <QString>

#include <Eigen/Core>

#include <vector>

namespace ebm {

//! \brief a number as the CSV files print it: 17 significant digits, enough to round-trip a double
QByteArray formatNumber(double value);

//! \brief writes "y1,y2,value" rows, y2 in the outer loop, both ascending; returns an error message or empty
QString writeFieldCsv(const QString &path, const Grid &grid, const Eigen::MatrixXd &values);

//! \brief writes "y1,y2" rows; returns an error message or empty
QString writeDataCsv(const QString &path, const std::vector<Vec2> &points);

//! \brief writes \a bytes to \a path atomically ("-" is standard output); returns an error message or empty
QString writeFileAtomically(const QString &path, const QByteArray &bytes);

struct DataCsv
{
    std::vector<Vec2> points;
    QString error; //!< empty when the file was read; then names the line and the problem
};

//! The largest coordinate a data file may hold, as for sessions and the command line: beyond it the energies
//! overflow (a point at 1e300 made every posterior NaN once the observation was put on it).
constexpr double kMaxDataMagnitude = 1e6;

//! \brief reads a "y1,y2" CSV (a header line first; blank lines and # comments skipped; finite numbers within
//! +-kMaxDataMagnitude only)
DataCsv readDataCsv(const QString &path);
//! \brief the same, from text already in memory (also what the fuzzer drives)
DataCsv parseDataCsv(const QByteArray &text);

} // namespace ebm

// The look shared by every plot: fonts large enough for a projector, one legend style.
#pragma once

#include <QFont>
#include <QString>

class QCPAxis;
class QCPLegend;

namespace ebm::plotstyle {

QFont font(int pointSize, bool bold = false);
//! Label and tick fonts sized for the back of a lecture hall.
void styleAxis(QCPAxis *axis, const QString &label);
//! A dark translucent legend with white text (the manifold is white, a white legend would hide it).
void darkLegend(QCPLegend *legend);

} // namespace ebm::plotstyle

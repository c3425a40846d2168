// The look shared by every plot: fonts large enough for a projector, one legend style.
#pragma once

#include <QFont>
#include <QString>

class QCPAxis;
class QCPLegend;
class QWidget;

namespace ebm::plotstyle {

QFont font(int pointSize, bool bold = false);
//! Label and tick fonts sized for the back of a lecture hall.
void styleAxis(QCPAxis *axis, const QString &label);
//! A dark translucent legend with white text (the manifold is white, a white legend would hide it).
void darkLegend(QCPLegend *legend);

//! \brief multiplies every font, pen width and marker size under \a root by \a factor (and 1/factor undoes it):
//! presentation mode, readable from the back of a lecture hall
void scaleWidgetTree(QWidget *root, double factor);

} // namespace ebm::plotstyle

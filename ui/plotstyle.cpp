#include "plotstyle.h"

#include <qcustomplot.h>

namespace ebm::plotstyle {

QFont font(int pointSize, bool bold)
{
    QFont f(QStringLiteral("DejaVu Sans"), pointSize);
    f.setBold(bold);
    return f;
}

void styleAxis(QCPAxis *axis, const QString &label)
{
    axis->setLabel(label);
    axis->setLabelFont(font(13));
    axis->setTickLabelFont(font(11));
}

void darkLegend(QCPLegend *legend)
{
    legend->setVisible(true);
    legend->setFont(font(11));
    legend->setTextColor(Qt::white);
    legend->setBrush(QColor(25, 25, 35, 200));
    legend->setBorderPen(Qt::NoPen);
}

} // namespace ebm::plotstyle

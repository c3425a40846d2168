#include "exportdialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSpinBox>

#include <cmath>

namespace ebm {

namespace {

constexpr int kMinSide = 64;
constexpr int kMaxSide = 20000;

int index(ExportTarget t)
{
    return static_cast<int>(t);
}

} // namespace

QString exportSuffix(ExportFormat format)
{
    switch (format) {
    case ExportFormat::Png:
        return QStringLiteral("png");
    case ExportFormat::Pdf:
        return QStringLiteral("pdf");
    case ExportFormat::Svg:
        return QStringLiteral("svg");
    }
    return {};
}

ExportDialog::ExportDialog(QWidget *parent)
    : QDialog(parent)
    , m_target(new QComboBox(this))
    , m_format(new QComboBox(this))
    , m_width(new QSpinBox(this))
    , m_height(new QSpinBox(this))
    , m_dpi(new QSpinBox(this))
    , m_summary(new QLabel(this))
    , m_caption(new QCheckBox(tr("Provenance caption under the figure"), this))
    , m_captionPreview(new QLabel(this))
    , m_path(new QLineEdit(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setWindowTitle(tr("Export figure"));
    setMinimumWidth(480);
    m_targetSizes.fill(QSize(1600, 1200));

    m_target->addItems({tr("Whole window"), tr("Observation plane"), tr("Latent panel"), tr("Cross-section panel")});
    m_format->addItem(tr("PNG image (raster)"));
    m_format->addItem(tr("PDF document (vector)"));
    m_format->addItem(tr("SVG drawing (vector)"));

    for (QSpinBox *side : {m_width, m_height}) {
        side->setRange(kMinSide, kMaxSide);
        side->setSuffix(tr(" px"));
        side->setAccelerated(true);
    }
    m_dpi->setRange(24, 2400);
    m_dpi->setValue(96);
    m_dpi->setSuffix(tr(" dpi"));
    m_dpi->setToolTip(tr("PNG: pixels = size × dpi / 96 (192 dpi doubles them for HiDPI screens and print).\n"
                         "PDF: the page measures size / dpi inches. SVG: not used."));
    auto *sizeRow = new QHBoxLayout;
    sizeRow->addWidget(m_width);
    sizeRow->addWidget(new QLabel(QStringLiteral("×"), this));
    sizeRow->addWidget(m_height);
    sizeRow->addStretch();

    m_caption->setChecked(true);
    m_captionPreview->setWordWrap(true);
    m_captionPreview->setStyleSheet(QStringLiteral("color: gray;"));
    m_summary->setStyleSheet(QStringLiteral("color: gray;"));

    auto *browse = new QPushButton(tr("Browse…"), this);
    auto *pathRow = new QHBoxLayout;
    pathRow->addWidget(m_path, 1);
    pathRow->addWidget(browse);

    // Rows whose field is a layout get no buddy from QFormLayout: their labels are made here.
    auto *sizeLabel = new QLabel(tr("&Size:"), this);
    sizeLabel->setBuddy(m_width);
    auto *pathLabel = new QLabel(tr("F&ile:"), this);
    pathLabel->setBuddy(m_path);

    auto *form = new QFormLayout;
    form->addRow(tr("&What:"), m_target);
    form->addRow(tr("&Format:"), m_format);
    form->addRow(sizeLabel, sizeRow);
    form->addRow(tr("&Resolution:"), m_dpi);
    form->addRow(QString(), m_summary);
    form->addRow(QString(), m_caption);
    form->addRow(QString(), m_captionPreview);
    form->addRow(pathLabel, pathRow);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_buttons);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("Export"));

    connect(m_target, &QComboBox::currentIndexChanged, this, &ExportDialog::onTargetChanged);
    connect(m_format, &QComboBox::currentIndexChanged, this, &ExportDialog::onFormatChanged);
    connect(m_path, &QLineEdit::textEdited, this, &ExportDialog::onPathEdited);
    connect(m_path, &QLineEdit::textChanged, this, &ExportDialog::updateSummary);
    for (QSpinBox *box : {m_width, m_height, m_dpi})
        connect(box, &QSpinBox::valueChanged, this, &ExportDialog::updateSummary);
    connect(m_caption, &QCheckBox::toggled, this, &ExportDialog::updateSummary);
    connect(browse, &QPushButton::clicked, this, &ExportDialog::browse);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    setPath(QDir::home().filePath(QStringLiteral("ebmlab-figure.png")));
    onTargetChanged();
}

void ExportDialog::setTargetSize(ExportTarget target, QSize size)
{
    if (size.isEmpty())
        return;
    m_targetSizes[static_cast<size_t>(index(target))] = size;
    if (target == this->target())
        onTargetChanged();
}

void ExportDialog::setCaptionText(const QString &text)
{
    m_captionText = text;
    m_captionPreview->setText(text);
    updateSummary();
}

void ExportDialog::setTarget(ExportTarget target)
{
    m_target->setCurrentIndex(index(target));
}

void ExportDialog::setFormat(ExportFormat format)
{
    m_format->setCurrentIndex(static_cast<int>(format));
}

void ExportDialog::setPath(const QString &path)
{
    m_path->setText(path);
    onPathEdited(path);
}

void ExportDialog::setOptions(const ExportOptions &options)
{
    if (!options.size.isEmpty()) {
        m_width->setValue(options.size.width());
        m_height->setValue(options.size.height());
    }
    m_dpi->setValue(int(std::lround(options.dpi)));
    m_caption->setChecked(options.caption);
    if (!options.captionText.isEmpty())
        setCaptionText(options.captionText);
}

ExportTarget ExportDialog::target() const
{
    return static_cast<ExportTarget>(m_target->currentIndex());
}

ExportFormat ExportDialog::format() const
{
    return static_cast<ExportFormat>(m_format->currentIndex());
}

QString ExportDialog::path() const
{
    return m_path->text().trimmed();
}

ExportOptions ExportDialog::options() const
{
    ExportOptions o;
    o.size = QSize(m_width->value(), m_height->value());
    o.dpi = m_dpi->value();
    o.caption = m_caption->isChecked();
    o.captionText = m_captionText;
    return o;
}

void ExportDialog::browse()
{
    const QString filter = QStringLiteral("%1 (*.%2)").arg(m_format->currentText(), exportSuffix(format()));
    const QString chosen = QFileDialog::getSaveFileName(this, tr("Export figure"), path(), filter);
    if (!chosen.isEmpty())
        setPath(QFileInfo(chosen).suffix().isEmpty() ? chosen + '.' + exportSuffix(format()) : chosen);
}

void ExportDialog::onTargetChanged()
{
    const QSize size = m_targetSizes[static_cast<size_t>(m_target->currentIndex())];
    m_width->setValue(size.width());
    m_height->setValue(size.height());
    updateSummary();
}

void ExportDialog::onFormatChanged()
{
    // The file name follows the format, so that the two never disagree.
    const QString current = path();
    if (!current.isEmpty()) {
        const QFileInfo info(current);
        const QString base =
            info.suffix().isEmpty() ? current : current.left(current.size() - info.suffix().size() - 1);
        const QSignalBlocker blocker(m_path);
        m_path->setText(base + '.' + exportSuffix(format()));
    }
    m_dpi->setEnabled(format() != ExportFormat::Svg);
    updateSummary();
}

void ExportDialog::onPathEdited(const QString &path)
{
    const QString suffix = QFileInfo(path.trimmed()).suffix().toLower();
    for (ExportFormat f : {ExportFormat::Png, ExportFormat::Pdf, ExportFormat::Svg}) {
        if (suffix == exportSuffix(f) && f != format()) {
            const QSignalBlocker blocker(m_format);
            m_format->setCurrentIndex(static_cast<int>(f));
            m_dpi->setEnabled(f != ExportFormat::Svg);
        }
    }
    updateSummary();
}

void ExportDialog::updateSummary()
{
    const double dpi = m_dpi->value();
    const int w = m_width->value(), h = m_height->value();
    switch (format()) {
    case ExportFormat::Png:
        m_summary->setText(tr("%1 × %2 pixels").arg(std::lround(w * dpi / 96.0)).arg(std::lround(h * dpi / 96.0)));
        break;
    case ExportFormat::Pdf:
        m_summary->setText(tr("%1 × %2 cm page, vector").arg(w / dpi * 2.54, 0, 'f', 1).arg(h / dpi * 2.54, 0, 'f', 1));
        break;
    case ExportFormat::Svg:
        m_summary->setText(tr("%1 × %2 px drawing, vector").arg(w).arg(h));
        break;
    }
    m_captionPreview->setVisible(m_caption->isChecked() && !m_captionText.isEmpty());
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(!path().isEmpty());
}

} // namespace ebm

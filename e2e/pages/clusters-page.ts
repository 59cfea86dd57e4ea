import { X509Certificate } from 'node:crypto'
import type { Locator, Page } from '@playwright/test'

/** Settings → Clusters: the table, the add/edit dialog with its connection check, the typed delete. */
export class ClustersPage {
  readonly page: Page
  readonly card: Locator
  readonly table: Locator
  readonly addButton: Locator
  readonly dialog: Locator
  readonly checkButton: Locator
  readonly checkResult: Locator
  readonly saveButton: Locator
  readonly deleteDialog: Locator
  readonly done: Locator
  /** The header's picker: there with two clusters or more. */
  readonly picker: Locator

  constructor (page: Page) {
    this.page = page
    this.card = page.getByRole('region', { name: 'Clusters', exact: true })
    this.table = this.card.getByRole('table')
    this.addButton = this.card.getByRole('button', { name: 'Add cluster…' })
    this.dialog = page.getByRole('dialog', { name: /^(Add a cluster|Edit cluster)/ })
    this.checkButton = this.dialog.getByRole('button', { name: 'Check connection' })
    this.checkResult = this.dialog.getByRole('status', { name: 'Connection check' })
    this.saveButton = this.dialog.getByRole('button', { name: /^(Add cluster|Save changes)$/ })
    this.deleteDialog = page.getByRole('dialog', { name: /^Delete cluster/ })
    this.done = this.card.getByRole('status').filter({ hasText: /^(Added|Saved|Deleted) cluster/ })
    this.picker = page.getByRole('banner').getByLabel('Cluster')
  }

  async open (): Promise<void> {
    await this.page.goto('/#/settings')
  }

  field (label: string): Locator {
    return this.dialog.getByLabel(label, { exact: true })
  }

  row (id: string): Locator {
    return this.table.getByRole('row').filter({ has: this.page.getByRole('rowheader').filter({ hasText: new RegExp(`${id}$`) }) })
  }

  async fill (values: { id: string, name: string, host: string, port: number, appUser: string, appPassword: string }): Promise<void> {
    await this.field('Id').fill(values.id)
    await this.field('Name').fill(values.name)
    await this.field('Host').fill(values.host)
    await this.field('Port').fill(String(values.port))
    await this.field('Application user').fill(values.appUser)
    await this.field('Application password').fill(values.appPassword)
  }

  /** The CA certificate as a person uploads it: a .pem file chosen in the file picker (or the .der file CUCM also offers). */
  async uploadCa (pem: string, format: 'pem' | 'der' = 'pem'): Promise<void> {
    const buffer = format === 'pem' ? Buffer.from(pem) : new X509Certificate(pem).raw
    await this.field('Upload a certificate file (PEM or DER)').setInputFiles({ name: `tomcat.${format}`, mimeType: format === 'pem' ? 'application/x-pem-file' : 'application/x-x509-ca-cert', buffer })
  }

  async delete (id: string): Promise<void> {
    await this.row(id).getByRole('button', { name: `Delete ${id}` }).click()
    await this.deleteDialog.getByLabel(/^Type/).fill(id)
    await this.deleteDialog.getByRole('button', { name: 'Delete cluster' }).click()
  }
}

import { create } from 'zustand';
import { nl } from './i18n-nl.ts';

/**
 * The register's words, in one place: this English table, and the Dutch one beside it
 * (`i18n-nl.ts`, typed as `Words` so a missing or misshapen entry fails the type-check).
 * Components read `t.key` while they render; `setLanguage` swaps the table.
 */
const en = {
  appTitle: 'Kassa',
  setupTitle: 'Set up this register',
  setupIntro: 'Choose the store and register this machine is, and paste the enrolment token IT gave you (HQ prints it when it starts).',
  hqAddress: 'HQ address',
  loadStores: 'Load stores',
  store: 'Store',
  register: 'Register',
  enrolmentToken: 'Enrolment token',
  enrol: 'Enrol register',
  enrolling: 'Enrolling…',
  firstSyncTitle: 'First sync',
  firstSyncIntro: 'The register copies the product catalog from HQ so it can sell without the network.',
  productsReceived: 'Products received',
  searchLabel: 'Search products',
  searchScope: 'Search in',
  availability: 'Availability',
  showAvailability: 'Stock at other stores',
  location: 'Store or warehouse',
  onHandCol: 'On hand',
  reserved: 'Reserved',
  available: 'Available',
  figure: 'Figure',
  noFigure: 'no figure',
  distance: 'Distance',
  soldHereNotBooked: (n: number) => `incl. ${n} sold at this register, not yet at HQ`,
  asOf: 'as of',
  old: 'old',
  offline: 'offline',
  thisStore: 'this store',
  warehouse: 'warehouse',
  close: 'Close',
  browse: 'Browse by category',
  allCategories: 'All categories',
  previousPage: 'Previous',
  nextPage: 'Next',
  of: 'of',
  scope: { store: 'This store', catalog: 'All products', elsewhere: 'Other stores' },
  notInAssortmentHere: 'not in this store’s assortment',
  searchPlaceholder: 'Name, item number or barcode — or scan',
  results: 'Search results',
  noResultsIn: {
    store: 'No products in this store’s assortment match',
    catalog: 'No released products match',
    elsewhere: 'Nothing available at other stores or warehouses matches',
  },
  availableElsewhere: (n: number, at: number) => `${n} available at ${at} other ${at === 1 ? 'location' : 'locations'}`,
  add: 'Add',
  cart: 'Cart',
  emptyCart: 'Scan a product or search to start a sale.',
  product: 'Product',
  quantity: 'Quantity',
  price: 'Price',
  amount: 'Amount',
  total: 'Total',
  vat: 'VAT',
  outOfAssortment: 'not in assortment',
  payCash: 'Pay cash',
  payCard: 'Pay card',
  cashDue: 'Cash due',
  roundedFrom: 'rounded from',
  cashReceived: 'Cash received',
  changeDue: 'Change due',
  completeSale: 'Complete sale',
  cancel: 'Cancel',
  cardOnTerminal: 'Card payment on the terminal',
  cardApproved: 'Card approved',
  receipt: 'Receipt',
  receiptNumber: 'Receipt number',
  printReceipt: 'Print receipt',
  newSale: 'New sale',
  cash: 'Cash',
  card: 'Card',
  change: 'Change',
  rounding: 'Cash rounding',
  online: 'Online',
  offlineFor: 'Offline for',
  /** The status line while HQ refuses this register's token: nothing syncs until IT enrols it again. */
  notSyncing: 'Not syncing',
  hqRefusesRegister: {
    token_revoked: 'HQ refuses this register: its enrolment was withdrawn. Ask IT to enrol it again (Support); sales are kept here meanwhile.',
    token_expired: 'HQ refuses this register: its enrolment has expired. Ask IT to enrol it again (Support); sales are kept here meanwhile.',
    unauthorized: 'HQ does not know this register. Ask IT to enrol it again (Support); sales are kept here meanwhile.',
    // HQ slows a refused token down after 30 refusals (an unknown one: its address), reached within seconds.
    rate_limited: 'HQ refuses this register for now: too many refused attempts (usually a withdrawn or expired enrolment). If this stays, ask IT to enrol it again (Support); sales are kept here meanwhile.',
  },
  /** HQ answers with an error of its own (500, or a gateway's 5xx): nothing goes through until it recovers. */
  hqFailing: 'HQ has a fault and takes nothing in right now. The register keeps trying; sales are kept here meanwhile.',
  /** HQ does not know a request of this register (404): register and HQ run different versions. */
  hqUnknownRequest: 'HQ does not know a request of this register: register and HQ probably run different versions. Ask IT to update them.',
  /** Any other error HQ answered with, in HQ's words (technical; for IT). */
  hqSays: (message: string) => `HQ answered with an error: ${message}`,
  recordNoun: { sales: 'sale', orderEvents: 'order event', returns: 'return', shiftEvents: 'shift event' },
  hqRecordRefused: (what: string, id: string) => `HQ refused ${what} ${id}. It is kept on this register; end of day shows why.`,
  hqRecordConflict: (what: string, id: string, others: number) =>
    `HQ already holds another ${what} numbered ${id}${others ? ` (and ${others} more)` : ''}. This one is kept on this register for the manager; end of day lists it.`,
  recordsWaiting: (n: number) => `${n} ${n === 1 ? 'record' : 'records'} waiting`,
  recordsRefused: (n: number) => `${n} refused by HQ`,
  lastSync: 'last sync',
  never: 'never',
  unknownBarcode: (code: string) => `No product with barcode or item number ${code}`,
  onHand: 'on hand',
  noStockFigure: 'no stock here',
  exact: 'Exact',
  cardConfirmHint: 'Confirm once the terminal shows the payment as approved.',
  // ---- customer orders ----------------------------------------------------------------------
  customerOrder: 'Customer order',
  orders: 'Orders',
  backToSale: 'Back to sale',
  backToOrders: 'Back to orders',
  backToOrder: 'Back to order',
  loading: 'Loading…',
  // the new order
  newOrderTitle: 'New customer order',
  customer: 'Customer',
  findCustomer: 'Find a known customer',
  findCustomerPlaceholder: 'Name, phone or e-mail',
  knownCustomers: 'Known customers',
  noKnownCustomer: 'No known customer matches; enter a new one below.',
  chooseCustomer: (name: string) => `Choose customer ${name}`,
  customerChosen: (name: string) => `Known customer: ${name}. Changes below are saved with this order.`,
  newCustomer: 'New customer',
  customerName: 'Name',
  phone: 'Phone',
  email: 'E-mail',
  knownAddress: 'Known address',
  anotherAddress: 'Another address',
  street: 'Street and number',
  postcode: 'Postcode',
  town: 'Town',
  country: 'Country',
  lines: 'Lines',
  fulfilment: 'Fulfilment',
  takeNow: 'Take now',
  pickUpAt: 'Pick up at',
  ship: 'Ship',
  modeLabel: (mode: string, product: string) => `${mode}: ${product}`,
  pickupStore: 'Pick-up store',
  shipFrom: 'Ship from',
  deliveryMode: 'Delivery mode',
  availableAt: (n: number | null) => (n === null ? 'no figure' : `${n} available`),
  onlyAvailable: (n: number | null, place: string) =>
    n === null ? `No stock figure for ${place}.` : `Only ${n} available at ${place}.`,
  noDeliveryModes: 'No delivery modes are set up: shipping is not possible.',
  summary: 'Summary',
  takenNowTotal: 'Taken now',
  shippedTotal: 'Shipped, incl. delivery',
  pickupTotal: 'To pick up',
  depositRequired: (pct: string) => `Required deposit (${pct})`,
  deposit: 'Deposit now',
  payNow: 'Pay now',
  balanceAtPickup: 'Balance due at pick-up',
  createOrder: 'Create order',
  createOrderNothingDue: 'Create order (nothing to pay now)',
  payCashCreate: 'Pay cash and create order',
  payCardCreate: 'Pay card and create order',
  needName: 'Enter the customer’s name.',
  needAddress: 'Enter the address to ship to (street, postcode and town).',
  needDeliveryMode: (product: string) => `Choose a delivery mode for ${product}.`,
  needShipFrom: (product: string) => `Choose where ${product} ships from.`,
  needPickupStore: (product: string) => `Choose the pick-up store for ${product}.`,
  depositNotAmount: 'The deposit is not an amount.',
  depositTooHigh: (max: string) => `The deposit can be at most ${max}, the value of the lines to pick up.`,
  depositBelowRequired: (req: string) => `A deposit below ${req} needs a manager’s approval.`,
  askManager: 'Manager approval for a lower deposit',
  managerTitle: 'Manager approval',
  managerIntro: (deposit: string, required: string) => `Deposit ${deposit} instead of the required ${required}.`,
  managerId: 'Manager id',
  managerPin: 'Manager PIN',
  reason: 'Reason',
  approve: 'Approve',
  checking: 'Checking…',
  wrongPin: 'Wrong manager id or PIN, or not a manager.',
  overrideApproved: (name: string, id: string) => `Deposit override approved by ${name} (${id})`,
  removeApproval: 'Remove approval',
  // confirmation and pick-up receipt
  orderNumber: 'Order number',
  orderConfirmation: 'Order confirmation',
  takenNow: 'Taken now',
  pickUpAtPlace: (place: string) => `Pick up at ${place}`,
  shipTo: (address: string, mode: string, from: string) => `Ship to ${address} via ${mode} from ${from}`,
  deliveryCharge: 'Delivery',
  orderTotal: 'Order total',
  paidNow: 'Paid now',
  overrideNote: (managerId: string, reason: string) => `Deposit lowered with approval of manager ${managerId}: ${reason}`,
  print: 'Print',
  done: 'Done',
  pickupReceipt: 'Pick-up receipt',
  handedOutNow: 'Handed out',
  heldBefore: 'Paid before',
  balancePaid: 'Balance paid',
  stillOpen: (n: number, balance: string) => `${n} ${n === 1 ? 'line' : 'lines'} still open; balance ${balance}`,
  // finding orders
  findOrder: 'Find order',
  findOrderPlaceholder: 'Order number, customer name or phone',
  searchResults: 'Orders found',
  noOrdersFound: 'No order in this register’s copy matches.',
  askHqHint: (orderNo: string) => `Press Enter to ask HQ for ${orderNo}.`,
  askHqHintGeneric: 'Orders made elsewhere are not all copied here: type the order number and press Enter to ask HQ.',
  askingHq: 'Asking HQ…',
  notAtHq: (orderNo: string) => `HQ has no order ${orderNo} either.`,
  readyHere: 'Ready for pick-up at this store',
  noneReady: 'No orders wait for pick-up here.',
  openOrder: (orderNo: string, name: string) => `Open order ${orderNo} (${name})`,
  linesHere: (n: number) => `${n} ${n === 1 ? 'line' : 'lines'} to pick up here`,
  exceptionsCount: (n: number) => `${n} ${n === 1 ? 'exception' : 'exceptions'}`,
  created: 'Created',
  balance: 'Balance',
  // one order
  orderTitle: (orderNo: string) => `Order ${orderNo}`,
  sourceReplica: 'From this register’s copy (works offline)',
  sourceHq: 'From HQ — this order is not replicated to this register',
  status: 'Status',
  orderStatus: { open: 'Open', partly: 'Partly done', completed: 'Completed', cancelled: 'Cancelled' },
  incomplete: 'This order’s creation has not reached this register yet; it cannot be handled here until it does.',
  createdAt: (place: string, register: string, when: string, operator: string) => `Created at ${place}, register ${register}, ${when}, by ${operator}`,
  selectLine: (lineNo: number, name: string) => `Select line ${lineNo}: ${name}`,
  selectAll: 'Select all open lines',
  line: 'Line',
  value: 'Value',
  held: 'Held',
  lineOpenPickup: (place: string) => `Open — to pick up at ${place}`,
  lineOpenShip: (place: string) => `Open — to ship from ${place}`,
  lineTaken: (place: string, when: string) => `Taken at ${place} ${when}`,
  linePickedUp: (place: string, when: string) => `Picked up at ${place} ${when}`,
  lineShipped: (when: string) => `Shipped ${when}`,
  lineCancelled: 'Cancelled',
  lineCancelledDetail: (place: string, when: string, charge: string) => `at ${place} ${when}; charge kept ${charge}`,
  paid: 'Paid',
  refunded: 'Refunded',
  heldNow: 'Held for open lines',
  balanceDue: 'Balance due',
  handOut: 'Hand out',
  cancelLines: 'Cancel lines',
  addDeposit: 'Add deposit',
  selectHint: 'Select lines with the checkboxes (Space), then choose an action.',
  handOutOnlyPickup: 'Only open pick-up lines can be handed out.',
  cancelOnlyOpen: 'Only open pick-up or ship lines can be cancelled.',
  notForHere: (place: string) => `To be picked up at ${place}, not at this store.`,
  handOutTitle: 'Hand out',
  handOutConfirm: 'Hand out (nothing to pay)',
  handOutPay: (what: string) => `Hand out: ${what}`,
  cancelTitle: 'Cancel lines',
  refund: 'Refund',
  charge: 'Charge kept',
  totalRefund: 'Total refund',
  refundMethod: 'Refund by',
  paidOutCash: (amount: string) => `Paid out in cash: ${amount}`,
  confirmCancel: 'Cancel the lines',
  keepLines: 'Keep the lines',
  needReason: 'Give a reason.',
  cancelledMessage: (lines: string, refund: string) => `Cancelled ${lines}; refund ${refund}.`,
  depositTitle: 'Add deposit',
  depositAmount: 'Deposit amount',
  stillToPay: 'Still to pay on the lines to pick up',
  depositMessage: (amount: string) => `Deposit of ${amount} taken.`,
  history: 'History',
  eventType: { created: 'Created', deposit: 'Deposit', pickedUp: 'Picked up', shipped: 'Shipped', cancelled: 'Cancelled' },
  event: 'Event',
  operator: 'Operator',
  time: 'Time',
  details: 'Details',
  notYetAtHq: 'not yet at HQ',
  exceptions: 'Exceptions for a manager',
  owedToCustomer: (amount: string) => `owed to the customer ${amount}`,
  short: (amount: string) => `short ${amount}`,
  linesWord: (nos: number[]) => `${nos.length === 1 ? 'line' : 'lines'} ${nos.join(', ')}`,
  // ---- receipt code (QR) ------------------------------------------------------------------------
  receiptCodeCaption: 'Scan for returns at any store',
  receiptCodeAlt: 'QR code for returns',
  receiptCodeMissing: 'Return code not available (this register has no key yet)',
  receiptCodeFailed: (message: string) => `Return code not available: ${message}`,
  // ---- returns ----------------------------------------------------------------------------------
  returnBtn: 'Return',
  returnTitle: 'Return',
  returnLookup: 'Receipt, order number or receipt code',
  returnLookupPlaceholder: 'Receipt number, order number — or scan the receipt’s QR code',
  returnLookupHint: 'Type the number and press Enter, or scan the QR code on the receipt.',
  lookUp: 'Look up',
  lookingUp: 'Looking up…',
  returnWithoutReceipt: 'Return without receipt',
  backToLookup: 'Back',
  verifiedBy: {
    replica: "From this register's copy",
    hq: 'From HQ',
    code: "Verified from the receipt's code",
  },
  originSale: (receiptNo: string) => `Receipt ${receiptNo}`,
  originOrder: (orderNo: string) => `Order ${orderNo}`,
  soldAt: (place: string, register: string | null, when: string) => `Sold at ${place}${register ? `, register ${register}` : ''}, ${when}`,
  sold: 'Sold',
  alreadyReturned: 'Already returned',
  returnable: 'Returnable',
  returnQuantity: 'Return quantity',
  returnQuantityFor: (name: string) => `Return quantity for ${name}`,
  reasonFor: (name: string) => `Reason for ${name}`,
  chooseReason: 'Choose a reason',
  reasons: {
    defective: 'Defective',
    damaged: 'Damaged',
    wrong_item: 'Wrong item',
    not_as_described: 'Not as described',
    changed_mind: 'Changed mind',
    other: 'Other',
  },
  each: (price: string) => `${price} each`,
  nothingReturnable: 'Everything on it has been returned already.',
  needReturnLines: 'Enter a return quantity for at least one line.',
  needReturnReason: (name: string) => `Choose a reason for ${name}.`,
  badReturnQuantity: (name: string, max: number) => `Return quantity for ${name} must be a whole number from 0 to ${max}.`,
  badBlindQuantity: (name: string) => `Return quantity for ${name} must be a whole number from 1 to 9999.`,
  refundTotal: 'Refund total',
  refundPlan: 'Refund',
  refundToCard: (amount: string) => `To card ${amount} — confirm on the terminal`,
  refundCash: (amount: string, paidOut: string) => (amount === paidOut ? `Cash ${amount}` : `Cash ${amount} (pay out ${paidOut})`),
  refundStoreCredit: (amount: string) => `Store credit ${amount}`,
  refundBy: 'Refund by',
  refundByHint: 'An order was paid when it was made and handed out: choose how the money goes back.',
  completeReturn: 'Refund and complete return',
  completing: 'Completing…',
  returnedEarlierHere: 'Returns the register knows of are taken off already.',
  // without a receipt
  blindTitle: 'Return without receipt',
  blindNote: 'Without a receipt: a manager approves, each item is refunded at today’s price, and the return is flagged for review at HQ.',
  findReturnProduct: 'Find the product',
  findReturnProductPlaceholder: 'Name, item number or barcode — or scan',
  noProductsMatch: 'No product matches',
  addToReturn: (name: string) => `Add ${name}`,
  removeFromReturn: (name: string) => `Remove ${name}`,
  todaysPrice: 'Today’s price',
  noBlindLines: 'Scan or search the products the customer brings back.',
  payAs: 'Pay as',
  payAsStoreCredit: 'Store credit',
  payAsCash: (limit: string) => `Cash (up to ${limit}, the rest as store credit)`,
  managerApproval: 'Manager approval',
  needManager: 'A manager must approve a return without a receipt.',
  managerIntroReturn: (amount: string) => `Return without receipt: ${amount}.`,
  returnApproved: (name: string, id: string, reason: string) => `Approved by ${name} (${id}): ${reason}`,
  // the return receipt
  returnReceipt: 'Return receipt',
  returnNumber: 'Return number',
  original: 'Original',
  originalNone: 'without receipt — for review',
  totalRefunded: 'Total refunded',
  refundCard: 'Card',
  refundCashPaidOut: 'Cash paid out',
  refundStoreCreditRow: 'Store credit',
  approvedByManager: (id: string, reason: string) => `Approved by manager ${id}: ${reason}`,
  forReview: 'Flagged for review at HQ',
  // ---- support (IT) -----------------------------------------------------------------------------
  support: 'Support',
  supportTitle: 'Support',
  supportIntro: 'For IT: what this register is, its copy of HQ’s data and how it syncs. The export holds no token, PIN or private key.',
  supportRegister: 'This register',
  supportReplica: 'Replica',
  supportSync: 'Sync',
  supportEnrolment: 'Enrolment',
  reenrolIntro: (store: string, register: string) =>
    `For an enrolment HQ withdrew or let expire: enrol this register again, as store ${store}, register ${register}, with IT's enrolment token. HQ withdraws the register's current token; its replica stays, and records still waiting go out with the new token.`,
  reenrolNeeded: 'HQ refuses this register now: enrol it again below.',
  reenrol: 'Enrol again',
  reenrolled: 'Enrolled again: HQ takes this register’s requests once more.',
  reenrolFailed: (message: string) => `Not enrolled: ${message}`,
  appVersion: 'App version',
  platform: 'Platform',
  platformName: { electron: 'Electron (desktop app)', web: 'Web browser' } as Record<'electron' | 'web', string>,
  storeCol: 'Store',
  registerCol: 'Register',
  hqUrl: 'HQ URL',
  registerTokenRow: 'Register token',
  tokenPresentUntil: (until: string | null) => (until ? `present, expires ${until}` : 'present'),
  tokenMissing: 'missing',
  receiptKey: 'Receipt key',
  receiptKeyNone: 'none yet',
  receiptKeyAtHq: (keyId: string, atHq: boolean) => `${keyId}${atHq ? '' : ' (not yet at HQ)'}`,
  databaseName: 'Database',
  collection: 'Collection',
  documents: 'Documents',
  storageUsage: 'Storage used',
  storageOf: (used: string, quota: string | null) => (quota ? `${used} of ${quota}` : used),
  storageUnknown: 'not known (this browser does not say)',
  sequences: 'Numbering reached',
  sequenceLine: (sales: number, orders: number, returns: number) => `sales ${sales} · order events ${orders} · returns ${returns}`,
  statusRow: 'Status',
  onlineNow: 'Online',
  offlineSinceAt: (since: string) => `Offline since ${since}`,
  lastSyncRow: 'Last sync',
  waitingRow: 'Records waiting',
  refusedRow: 'Refused or in conflict',
  lastErrorRow: 'Last error',
  noError: 'none',
  firstSyncRow: 'First sync',
  firstSyncDone: 'done',
  firstSyncNotDone: 'not done',
  problemsTitle: 'Latest records HQ did not take',
  problemsNone: 'HQ took every record.',
  exportDiagnostics: 'Export diagnostics',
  exporting: 'Exporting…',
  exported: (file: string) => `Saved ${file}.`,
  exportFailed: (message: string) => `Diagnostics could not be exported: ${message}`,
  storeRegister: (store: string, register: string) => `Store ${store} · Register ${register}`,
  saveAsPdf: 'Save as PDF',
  printFailed: (reason: string) => `Not printed: ${reason}`,
  pdfSaved: (path: string) => `Saved as PDF: ${path}`,
  pdfFailed: (reason: string) => `Not saved as PDF: ${reason}`,
  receiptPrinter: 'Receipt printer',
  receiptPrinterIntro: 'Receipts, order confirmations, pick-up and return receipts print on this printer without a dialog. With none chosen, the print dialog opens.',
  printerNone: 'None: open the print dialog',
  printerDefault: (name: string) => `${name} (default)`,
  printerNotFound: (name: string) => `${name} (not found now)`,
  printersNone: 'No printers found on this computer.',
  printersFailed: (message: string) => `The printers could not be listed: ${message}`,
  printerSaved: (name: string | null) => (name ? `Documents now print on ${name}.` : 'Documents now open the print dialog.'),
  printerSaveFailed: (message: string) => `The printer could not be saved: ${message}`,
  printersInBrowser: 'In a web browser, documents print through the browser’s print dialog, which can also save them as PDF. A receipt printer is chosen in the desktop app.',
  // ---- operators and shifts -------------------------------------------------------------------
  signInTitle: 'Sign in',
  signInIntro: 'Enter your operator number and PIN.',
  operatorId: 'Operator number',
  pin: 'PIN',
  signIn: 'Sign in',
  signOut: 'Sign out',
  signInWrong: 'Operator number or PIN is wrong.',
  pinLockedOut: (seconds: number) => `Too many wrong PINs: try again in ${seconds} s.`,
  lockedTitle: 'Register locked',
  lockedIntro: (name: string) => `${name} is signed in. Enter your PIN to go on, or sign out so someone else can sign in.`,
  unlock: 'Unlock',
  lock: 'Lock',
  registerNo: (id: string) => `Register ${id}`,
  shiftBtn: 'Shift',
  openShiftTitle: 'Open a shift',
  openShiftIntro: (name: string) => `${name}, count the starting float into the drawer. Selling starts once the shift is open.`,
  openShift: 'Open shift',
  floatAmount: 'Starting float',
  notAnAmount: 'Not an amount, e.g. 150,00',
  shiftTitle: 'Shift',
  shiftOpenedAt: 'Opened',
  operators: 'Operators',
  xReport: 'X report',
  zReport: 'Z report',
  perTender: 'Per tender',
  perVatRate: 'Per VAT rate',
  takenIn: 'In',
  givenBack: 'Out',
  net: 'Net',
  salesCol: 'Sales',
  returnsCol: 'Returns',
  storeCreditTender: 'Store credit',
  shiftTotals: 'Shift totals',
  salesCount: (n: number) => `Sales (${n})`,
  cashRoundingTotal: 'Cash rounding',
  returnsCount: (n: number, blind: number) => `Returns (${n}${blind ? `, ${blind} without receipt` : ''})`,
  orderDeposits: (n: number) => `Order payments and deposits (${n})`,
  orderPickUps: (n: number) => `Order pick-ups (${n})`,
  orderCancellations: (n: number) => `Order cancellations refunded (${n})`,
  outOfAssortmentLines: (n: number) => `Out-of-assortment lines (${n})`,
  cashInTotal: 'Cash in',
  cashOutTotal: 'Cash out',
  recordsInShift: 'Records',
  expectedCash: 'Cash expected in the drawer',
  cashMoves: 'Cash in and out',
  cashIn: 'Cash in',
  cashOut: 'Cash out',
  cashReason: 'Reason',
  cashReasons: {
    float_top_up: 'Float top-up',
    change_from_bank: 'Change from the bank',
    safe_drop: 'Safe drop',
    bank_deposit: 'Bank deposit',
    petty_cash: 'Petty cash',
    other: 'Other (say what)',
  },
  note: 'Note',
  closeShift: 'Close shift',
  countIntro: 'Count the cash in the drawer per note and coin.',
  denomination: 'Note or coin',
  count: 'Count',
  countOf: (denomination: string) => `Count of ${denomination}`,
  countedCash: 'Cash counted',
  difference: 'Difference',
  cashShort: '(short)',
  cashOver: '(over)',
  closeShiftAndZ: 'Close shift and make Z report',
  // ---- end of day ------------------------------------------------------------------------------
  endOfDay: 'End of day',
  endOfDayIntro: 'Sends everything this register made to HQ, fetches everything new, and checks with HQ that every record arrived.',
  managersOnly: 'Only a manager can run the end of day. Sign in as a manager.',
  syncing: 'Syncing…',
  syncAgain: 'Sync and check again',
  endOfDayPhase: { sending: 'Sending and fetching', checking: 'Checking with HQ', done: 'Done' },
  recordsConfirmed: (done: number, total: number) => `${done} of ${total} records answered by HQ`,
  checklist: 'Checklist',
  recordsSent: 'Records sent and confirmed by HQ',
  hqNotReached: (message: string) => `HQ could not be reached: ${message}`,
  recordKind: 'Records',
  madeHere: 'Made here',
  atHq: 'At HQ',
  refusedCol: 'Refused',
  notYetAtHqCol: 'Not yet at HQ',
  recordKinds: { sales: 'Sales', orderEvents: 'Order events', returns: 'Returns', shiftEvents: 'Shift events' },
  refusedByHq: (n: number) => (n === 0 ? 'Nothing refused by HQ' : `${n} refused by HQ`),
  refusedAdvice: 'A refused record stays on this register with HQ’s reason. Export the diagnostics (Support) and send them to IT.',
  shiftStillOpen: 'The shift is still open: close it (Z report) first.',
  shiftClosed: 'Shift closed (Z report made)',
  goToShift: 'Go to the shift',
  openExceptions: (n: number) => (n === 0 ? 'No open exceptions' : n === 1 ? '1 open exception to look at' : `${n} open exceptions to look at`),
  alertKinds: { cash_difference: 'Cash difference', double_return: 'Returned twice', return_review: 'Return without receipt', conflicting_record: 'Conflicting record' } as Record<string, string>,
  exceptionAdvice: (kind: string) =>
    ({
      cancelled_after_handout: 'Goods left and money was refunded: contact the customer about the refund.',
      handed_out_twice: 'Goods left twice: check with the other store which customer took them.',
      cancelled_twice: 'Refunded twice: contact the customer about the second refund.',
      money_for_closed_line: 'Money was taken for a closed line: refund the customer.',
      overpaid: 'The customer paid too much: refund the excess.',
      balance_differs: 'A pick-up took another balance than the line held: settle the difference with the customer.',
      refund_differs: 'A cancellation refunded another amount than the line held: settle the difference.',
      cash_difference: 'The drawer did not match the count: check the count and the safe drops, and note the reason.',
      double_return: 'More came back than was sold: check both returns and the refunds paid.',
      return_review: 'A return without a receipt: check the goods and the reason.',
    })[kind] ?? 'Look at it with HQ.',
  exceptionsDoNotBlock: 'Exceptions and alerts do not stop the day; they stay open at HQ until resolved.',
  cannotMarkDone: 'The day cannot be marked done yet:',
  blocker: {
    hqUnreachable: 'HQ cannot be reached, so it cannot confirm the records.',
    unsent: 'records of this register have not reached HQ.',
    shiftOpen: 'the shift is still open.',
  },
  markDayDone: 'Mark day done',
  dayDoneAt: (at: string, by: string) => `Day marked done at ${at} by ${by}.`,
  databaseNotOpened: (message: string) => `The register's database could not be opened: ${message}`,
  storeNo: (id: string) => `Store ${id}`,
  openingRegister: 'Opening the register…',
  netCol: 'Net',
  grossCol: 'Gross',
  hqNotYetReachable: 'HQ cannot be reached yet; the register keeps trying.',
  priceButton: 'Price',
  changePriceTitle: (name: string) => `Change price: ${name}`,
  changePriceIntro: (name: string, price: string) => `${name} is ${price} each. Another price needs a manager’s approval.`,
  newPrice: 'New price',
  notAPrice: 'Type a price, such as 4.99.',
  samePrice: 'That is the price already.',
  priceWas: (was: string, managerId: string) => `was ${was}, approved by ${managerId}`,
  voidTitle: (name: string) => `Void: ${name}`,
  voidIntro: (quantity: number, name: string, amount: string) => `Take ${quantity} × ${name} (${amount}) off the sale. A void needs a manager’s approval.`,
  receiptPriceChanged: (was: string) => `price changed, was ${was}`,
  overridesCount: (n: number) => `Price overrides (${n})`,
  voidsCount: (n: number) => `Voids (${n})`,
  orderPriceChanged: (name: string) => `The price of ${name} was changed: a customer order takes shelf prices. Sell it, or set its shelf price back.`,
  pinCheckUnavailable: (message: string) =>
    `PINs cannot be checked here (${message}). The register checks PINs with the browser's cryptography, which works only in the desktop app, at 127.0.0.1 or localhost, or over HTTPS.`,
  catalogImageRow: 'Catalog image',
  catalogImageNone: 'none yet: this start read the replica row by row; one is built after the first sync',
  catalogImageUnavailable: 'not kept in this storage',
  catalogImageLine: (builtAt: string, products: string, stock: string, changes: string) =>
    `taken ${builtAt}: ${products} products, ${stock} stock figures; ${changes} changes since`,
  catalogImageLoaded: 'this start loaded it',
  catalogImageNotLoaded: 'this start read the replica row by row',
  catalogImageMovedOnto: 'the running index moved onto it when it was built',
  catalogImageBuilding: 'being built',
  catalogImageLastBuild: (seconds: string, readMs: string, buildMs: string, writeMs: string) => `last built in ${seconds} s (reading ${readMs} ms, indexing ${buildMs} ms, writing ${writeMs} ms)`,
  catalogImageError: (message: string) => `could not be built: ${message}`,
} as const;

/** A table's shape with its words widened to `string`: what every language must provide. */
type Widen<T> = T extends string
  ? string
  : T extends (...args: infer A) => infer R
    ? (...args: A) => Widen<R>
    : T extends object
      ? { readonly [K in keyof T]: Widen<T[K]> }
      : T;
export type Words = Widen<typeof en>;

export type Language = 'nl' | 'en';
export const LANGUAGES: Record<Language, { words: Words; locale: string; name: string }> = {
  nl: { words: nl, locale: 'nl-NL', name: 'Nederlands' },
  en: { words: en, locale: 'en-GB', name: 'English' },
};

/** The words of the language in use. A live binding: it changes with `setLanguage`. */
export let t: Words = en;
/** The locale numbers, dates and euros are formatted in. A live binding, like `t`. */
export let locale = LANGUAGES.en.locale;
/** The language in use. */
export let language: Language = 'en';

/**
 * Swaps the words and the locale. Components that already rendered keep their text until they
 * render again: the app switches through `useLanguage`, whose change re-renders subscribers.
 */
export function setLanguage(next: Language): void {
  t = LANGUAGES[next].words;
  locale = LANGUAGES[next].locale;
  language = next;
  if (typeof document !== 'undefined') document.documentElement.lang = next;
}

// ---- the cashier's choice, kept on this machine ---------------------------------------------------

/** The demo chain is Dutch: a register that was never switched speaks Dutch. */
export const DEFAULT_LANGUAGE: Language = 'nl';
/** Where the choice is kept (`localStorage`). */
export const LANGUAGE_STORAGE_KEY = 'kassa.language';

/** The part of `Storage` the choice needs: injectable, so tests run without a browser. */
export type LanguageStorage = Pick<Storage, 'getItem' | 'setItem'>;

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && Object.hasOwn(LANGUAGES, value);
}

/** The browser's `localStorage`, or null where there is none (Node) or it is blocked. */
function browserStorage(): LanguageStorage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

/** The stored choice, or null when there is none or it is not a language this build knows. */
export function storedLanguage(storage: LanguageStorage | null): Language | null {
  try {
    const value = storage?.getItem(LANGUAGE_STORAGE_KEY) ?? null;
    return isLanguage(value) ? value : null;
  } catch {
    return null;
  }
}

export interface LanguageState {
  language: Language;
  /** Switches `t` and `locale`, keeps the choice, and re-renders every subscriber. */
  setLanguage(language: Language): void;
}

/**
 * A language store over `storage`. Creating it applies the initial language at once (the stored
 * choice, else Dutch), so `t` and `locale` are right before anything renders.
 */
export function createLanguageStore(storage: LanguageStorage | null) {
  const initial = storedLanguage(storage) ?? DEFAULT_LANGUAGE;
  setLanguage(initial);
  return create<LanguageState>((set) => ({
    language: initial,
    setLanguage: (next) => {
      setLanguage(next);
      try {
        storage?.setItem(LANGUAGE_STORAGE_KEY, next);
      } catch {
        // Storage full or blocked: the choice lasts until the register reloads.
      }
      set({ language: next });
    },
  }));
}

/** The language the register speaks: `useLanguage((s) => s.language)` re-renders on a switch. */
export const useLanguage = createLanguageStore(browserStorage());

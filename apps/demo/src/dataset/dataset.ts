/** An employee: who took an order (the "human resources" side of the demo). */
export interface Employee {
  readonly employeeId: number;
  readonly firstName: string;
  readonly lastName: string;
  readonly title: string;
  /** `YYYY-MM-DD` */
  readonly hireDate: string;
}

/** A customer company and its contact. */
export interface Customer {
  readonly customerId: number;
  readonly companyName: string;
  readonly contactName: string;
  readonly contactTitle: string;
  readonly city: string;
  readonly country: string;
  readonly phone: string;
}

/** A product of the catalogue. */
export interface Product {
  readonly productId: number;
  readonly productName: string;
  readonly category: string;
  /** Exact decimal text, e.g. `18.00` (docs/values.md: decimals travel as strings). */
  readonly unitPrice: string;
}

/** An order of a customer, taken by an employee. */
export interface Order {
  readonly orderId: number;
  readonly customerId: number;
  readonly employeeId: number;
  /** `YYYY-MM-DD` */
  readonly orderDate: string;
  /** `YYYY-MM-DD`, or null while not shipped. */
  readonly shippedDate: string | null;
  readonly shipCity: string;
  readonly shipCountry: string;
  /** Exact decimal text. */
  readonly freight: string;
}

/** One line of an order. */
export interface OrderDetail {
  readonly orderId: number;
  readonly productId: number;
  /** Exact decimal text: the price when ordered. */
  readonly unitPrice: string;
  readonly quantity: number;
  /** Exact decimal text in [0, 0.25]. */
  readonly discount: string;
}

/** The whole Northwind-like dataset, in insertion order (parents before children). */
export interface Dataset {
  readonly employees: readonly Employee[];
  readonly customers: readonly Customer[];
  readonly products: readonly Product[];
  readonly orders: readonly Order[];
  readonly orderDetails: readonly OrderDetail[];
}

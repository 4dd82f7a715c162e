import type { Customer, Dataset, Employee, Order, OrderDetail, Product } from './dataset.js';
import { Prng } from './prng.js';
import { WORDS } from './word-lists.js';

/** The seed of the dataset every run loads: change it and the tests' expected counts change with it. */
export const DATASET_SEED = 2005;

/** How many rows of each kind {@link generateDataset} makes (order details follow from the orders). */
export const DATASET_SIZE = Object.freeze({ employees: 9, customers: 90, orders: 1000 });

/** Northwind's first order number, kept for the flavour. */
const FIRST_ORDER_ID = 10248;
const FIRST_ORDER_DAY = Date.UTC(2023, 0, 2);
const ORDER_DAYS = 730;
const DAY_MS = 86_400_000;
const DISCOUNTS = ['0.00', '0.00', '0.00', '0.00', '0.05', '0.10', '0.15', '0.20', '0.25'];

/**
 * Generates the demo's Northwind-like dataset: employees, customers, products, about a thousand orders and a few
 * thousand order lines. Deterministic: the same seed gives the same rows, byte for byte.
 */
export function generateDataset(seed: number = DATASET_SEED): Dataset {
  const prng = new Prng(seed);
  const employees = generateEmployees(prng);
  const customers = generateCustomers(prng);
  const products = generateProducts(prng);
  const orders: Order[] = [];
  const orderDetails: OrderDetail[] = [];
  for (let index = 0; index < DATASET_SIZE.orders; index++) {
    // Skewed towards the first customers, so that some have many orders and some few, as in real life.
    const customer = customers[Math.floor(prng.next() ** 1.7 * customers.length)] as Customer;
    const orderId = FIRST_ORDER_ID + index;
    // Order dates rise with the order id, as they would in a real system.
    const day = Math.floor((index / DATASET_SIZE.orders) * ORDER_DAYS) + prng.integer(0, 2);
    // The last few weeks' orders may not have shipped yet.
    const shipped = day < ORDER_DAYS - 30 || prng.next() < 0.5;
    orders.push({
      orderId,
      customerId: customer.customerId,
      employeeId: prng.pick(employees).employeeId,
      orderDate: isoDate(FIRST_ORDER_DAY + day * DAY_MS),
      shippedDate: shipped ? isoDate(FIRST_ORDER_DAY + (day + prng.integer(1, 14)) * DAY_MS) : null,
      shipCity: customer.city,
      shipCountry: customer.country,
      freight: cents(prng.integer(100, 30_000)),
    });
    for (const product of prng.sample(products, prng.integer(1, 5))) {
      orderDetails.push({
        orderId,
        productId: product.productId,
        unitPrice: product.unitPrice,
        quantity: prng.integer(1, 60),
        discount: prng.pick(DISCOUNTS),
      });
    }
  }
  return { employees, customers, products, orders, orderDetails };
}

function generateEmployees(prng: Prng): Employee[] {
  const titles = ['Sales Manager', 'Sales Representative', 'Inside Sales Coordinator'];
  return prng.sample(WORDS.firstNames, DATASET_SIZE.employees).map((firstName, index) => ({
    employeeId: index + 1,
    firstName,
    lastName: prng.pick(WORDS.lastNames),
    title: index === 0 ? 'Vice President, Sales' : (titles[index % titles.length] as string),
    hireDate: isoDate(Date.UTC(2015 + prng.integer(0, 7), prng.integer(0, 11), prng.integer(1, 28))),
  }));
}

function generateCustomers(prng: Prng): Customer[] {
  const names = WORDS.companyFirst.flatMap((first) => WORDS.companySecond.map((second) => `${first} ${second}`));
  return prng.sample(names, DATASET_SIZE.customers).map((companyName, index) => {
    const [country, city] = prng.pick(WORDS.places);
    return {
      customerId: index + 1,
      companyName,
      contactName: `${prng.pick(WORDS.firstNames)} ${prng.pick(WORDS.lastNames)}`,
      contactTitle: prng.pick(WORDS.titles),
      city,
      country,
      phone: `(${prng.integer(10, 99)}) ${prng.integer(100, 999)}-${prng.integer(1000, 9999)}`,
    };
  });
}

function generateProducts(prng: Prng): Product[] {
  return WORDS.products.map(([productName, category], index) => ({
    productId: index + 1,
    productName,
    category,
    unitPrice: cents(prng.integer(250, 12_000)),
  }));
}

function isoDate(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 10);
}

/** Integer cents as exact decimal text: 1850 → `18.50`. */
function cents(value: number): string {
  return `${Math.floor(value / 100)}.${String(value % 100).padStart(2, '0')}`;
}

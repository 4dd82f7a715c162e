import { describe, expect, it } from 'vitest';
import { generateDataset } from './generate-dataset.js';
import { createIndexSql, createTableSql, TABLES } from './schema.js';
import { DIALECTS } from '../dialects.js';

describe('schema', () => {
  it('creates only demo_ tables, parents before children', () => {
    expect(TABLES.map((t) => t.name)).toEqual([
      'demo_employees',
      'demo_customers',
      'demo_products',
      'demo_orders',
      'demo_order_details',
    ]);
    const order = TABLES.map((t) => t.name);
    for (const [index, spec] of TABLES.entries()) {
      for (const target of Object.values(spec.references)) {
        expect(order.indexOf(target.replace(/\(.*$/, ''))).toBeLessThan(index);
      }
    }
  });

  it('writes the DDL with the dialect’s types', () => {
    const orders = TABLES.find((t) => t.name === 'demo_orders')!;
    expect(createTableSql(orders, DIALECTS.mssql!)).toBe(`CREATE TABLE demo_orders (
  order_id INT NOT NULL,
  customer_id INT NOT NULL,
  employee_id INT NOT NULL,
  order_date DATE NOT NULL,
  shipped_date DATE NULL,
  ship_city NVARCHAR(30) NOT NULL,
  ship_country NVARCHAR(30) NOT NULL,
  freight DECIMAL(10,2) NOT NULL,
  PRIMARY KEY (order_id),
  FOREIGN KEY (customer_id) REFERENCES demo_customers(customer_id),
  FOREIGN KEY (employee_id) REFERENCES demo_employees(employee_id)
)`);
    expect(createIndexSql(orders)).toEqual([
      'CREATE INDEX ix_demo_orders_customer_id ON demo_orders (customer_id)',
      'CREATE INDEX ix_demo_orders_ship_country ON demo_orders (ship_country)',
    ]);
  });

  it('gives each row its values in column order', () => {
    const dataset = generateDataset();
    const details = TABLES.find((t) => t.name === 'demo_order_details')!;
    const first = dataset.orderDetails[0]!;
    expect(details.rowValues(dataset)[0]).toEqual([
      first.orderId,
      first.productId,
      first.unitPrice,
      first.quantity,
      first.discount,
    ]);
    for (const spec of TABLES) {
      expect(spec.rowValues(dataset).filter((row) => row.length !== spec.columns.length)).toEqual([]);
    }
  });
});
